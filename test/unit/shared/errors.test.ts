import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { errorCode, isSessionError, toRenError } from '../../../src/shared/errors.js';

const sfApiError = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, errorCode: name });

describe('error mapping', () => {
  it('reads the Salesforce error code from jsforce errors and SOAP fault texts', () => {
    expect(errorCode(sfApiError('INVALID_FIELD', 'No such column'))).to.equal('INVALID_FIELD');
    expect(errorCode(new Error('INSUFFICIENT_ACCESS: use of the Metadata API requires ...'))).to.equal(
      'INSUFFICIENT_ACCESS',
    );
    expect(errorCode(new Error('plain failure'))).to.equal(undefined);
    expect(errorCode('not an error')).to.equal(undefined);
  });

  it('turns an expired session into a log-in-again error naming the org', () => {
    const error = toRenError(sfApiError('INVALID_SESSION_ID', 'Session expired or invalid'), 'client1') as SfError;
    expect(error.name).to.equal('RenSessionExpiredError');
    expect(error.message).to.include('client1');
    expect(error.actions?.join('\n')).to.include('sf org login web --alias client1');
    expect(isSessionError(new Error('Unable to refresh session: No refresh token found'))).to.equal(true);
  });

  it('lists the permissions to ask for on insufficient access', () => {
    const error = toRenError(new Error('INSUFFICIENT_ACCESS: insufficient access rights'), 'me@acme.com') as SfError;
    expect(error.name).to.equal('RenInsufficientAccessError');
    expect(error.actions?.join('\n'))
      .to.match(/Modify Metadata Through Metadata API Functions/)
      .and.match(/ExternalClientAppAdmin/);
  });

  it('says a 5xx is transient and safe to re-run', () => {
    const error = toRenError(sfApiError('SERVER_UNAVAILABLE', 'Service Unavailable'), 'me') as SfError;
    expect(error.name).to.equal('RenOrgUnavailableError');
    expect(error.actions?.join('\n')).to.match(/safe to re-run/);
  });

  it('maps API limits, disabled API and unknown types', () => {
    expect(toRenError(sfApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'me').name).to.equal(
      'RenRequestLimitError',
    );
    expect(toRenError(sfApiError('API_DISABLED_FOR_ORG', 'API is not enabled'), 'me').name).to.equal(
      'RenApiDisabledError',
    );
    expect(toRenError(sfApiError('INVALID_TYPE', "sObject type 'X' is not supported"), 'me').name).to.equal(
      'RenInvalidTypeError',
    );
  });

  it('passes our own errors through and wraps anything else as an SfError', () => {
    const ours = new SfError('bad input', 'RenInvalidDefinitionError');
    expect(toRenError(ours, 'me')).to.equal(ours);
    const other = toRenError(new Error('something odd'), 'me');
    expect(other).to.be.instanceOf(SfError);
    expect(other.message).to.equal('something odd');
  });
});

describe('error codes with a SOAP namespace prefix', () => {
  it('reads sf:CODE as CODE and maps an unsupported API version', () => {
    const soapFault = Object.assign(new Error('UNSUPPORTED_API_VERSION: Invalid Api version specified on URL'), {
      name: 'sf:UNSUPPORTED_API_VERSION',
    });
    expect(errorCode(soapFault)).to.equal('UNSUPPORTED_API_VERSION');
    expect(toRenError(soapFault, 'me').name).to.equal('RenUnsupportedApiVersionError');
    expect(isSessionError(Object.assign(new Error('Illegal Session'), { name: 'sf:INVALID_SESSION_ID' }))).to.equal(
      true,
    );
  });
});
