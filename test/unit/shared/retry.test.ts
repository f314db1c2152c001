import { expect } from 'chai';
import { isTransientError } from '../../../src/shared/errors.js';
import { withRetry } from '../../../src/shared/retry.js';

const coded = (name: string, message = name): Error => Object.assign(new Error(message), { name, errorCode: name });

describe('retries of read-only calls', () => {
  it('knows transient failures from permanent ones', () => {
    expect(isTransientError(coded('SERVER_UNAVAILABLE', 'Service Unavailable'))).to.equal(true);
    expect(isTransientError(new Error('Request failed with status 503'))).to.equal(true);
    expect(isTransientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isTransientError(coded('INVALID_FIELD', 'No such column'))).to.equal(false);
    expect(isTransientError(coded('INVALID_SESSION_ID', 'Session expired or invalid'))).to.equal(false);
  });

  it('retries a transient failure and returns the later answer', async () => {
    let calls = 0;
    const answer = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw coded('SERVER_UNAVAILABLE');
        return 'ok';
      },
      { baseDelayMs: 1 },
    );
    expect(answer).to.equal('ok');
    expect(calls).to.equal(3);
  });

  it('gives up after the last attempt and never retries permanent errors', async () => {
    let calls = 0;
    const failing = async (error: Error): Promise<never> => {
      calls++;
      throw error;
    };
    try {
      await withRetry(() => failing(coded('SERVER_UNAVAILABLE')), { attempts: 3, baseDelayMs: 1 });
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).name).to.equal('SERVER_UNAVAILABLE');
    }
    expect(calls).to.equal(3);
    calls = 0;
    try {
      await withRetry(() => failing(coded('INVALID_SESSION_ID')), { baseDelayMs: 1 });
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).name).to.equal('INVALID_SESSION_ID');
    }
    expect(calls).to.equal(1);
  });
});
