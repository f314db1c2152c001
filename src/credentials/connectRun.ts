/*
 * One `sf ren connect` run against an org, after its input was checked: collect the credentials (rotating first when
 * asked and due), hand them off, then finish the rotation (revoke the previous pair when asked). A Ctrl-C during a
 * rotation deploy names the deploy and which pair works. The command shows progress and the result; this module
 * does the work in order and tells what happened.
 */
import type { Connection } from '@salesforce/core';
import { guardChange } from '../shared/interruptGuard.js';
import { toRenError } from '../shared/errors.js';
import {
  type Collected,
  collectCredentials,
  type ConnectRequest,
  finishRotation,
  type FinishedRotation,
  type NotDue,
} from './connect.js';
import { deliverCredentials, type HandoffTargets } from './handoff.js';
import { credentialsMessage } from './messages.js';
import { markHandedOff } from './rotationRecord.js';
import { type RotationState, rotatedNotHandedOffError } from './rotate.js';

export type ConnectRun = {
  request: ConnectRequest;
  targets: HandoffTargets;
  revokePrevious: boolean;
  /** This run's flags without the rotation, to print in "hand off again" fixes. */
  againFlags: string;
  /** Told when the hand-off starts, for the progress display. */
  onHandoff?: () => void;
};

export type ConnectOutcome =
  | { status: 'not-due'; notDue: NotDue }
  | { status: 'handed-off'; collected: Collected; handedOffTo: string[]; finished?: FinishedRotation };

export async function connectOrg(conn: Connection, run: ConnectRun): Promise<ConnectOutcome> {
  const { target } = run.request.org;
  let rotated: RotationState | undefined;
  // A Ctrl-C while a rotation deploy runs says which deploy, and which pair works.
  let releaseDeployGuard: (() => void) | undefined;
  const request: ConnectRequest = {
    ...run.request,
    rotate: run.request.rotate && {
      ...run.request.rotate,
      onDeployStarted: (deployId): void => {
        const line = credentialsMessage('interrupted.rotationDeploy', [
          deployId,
          target,
          deployId,
          target,
          target,
          run.againFlags,
        ]);
        releaseDeployGuard = guardChange({
          restore: () => Promise.resolve({ ok: true, line }),
          leftBehind: () => line,
        });
      },
    },
    onRotated: (state): void => {
      releaseDeployGuard?.();
      rotated = state;
    },
  };
  try {
    const collected = await collectCredentials(conn, request);
    if (collected.status === 'not-due') return { status: 'not-due', notDue: collected };
    run.onHandoff?.();
    const handedOffTo = await deliverCredentials(
      { ...collected.payload, appId: collected.appId, consumerId: collected.consumer.id },
      run.targets,
    );
    await markHandedOff(request.org.orgId, collected.app);
    const finished = rotated
      ? await finishRotation(conn, rotated, {
          revokePrevious: run.revokePrevious,
          allowSecretAccess: request.allowSecretAccess,
          before: collected.secretAccess.before,
          org: request.org,
          app: collected.app,
        })
      : undefined;
    return { status: 'handed-off', collected, handedOffTo, finished };
  } catch (error) {
    releaseDeployGuard?.();
    if (rotated) throw rotatedNotHandedOffError(rotated, toRenError(error, target), target, run.againFlags);
    throw toRenError(error, target);
  }
}
