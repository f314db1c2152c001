/** A local Salesforce org emulator for tests and demos: the public API. README.md lists the endpoints and the modules. */
export { startEmulator, type Emulator, type EmulatorOptions, type RequestLogEntry } from './server.js';
export { FaultInjector, type FaultKind, type FaultRule } from './faults.js';
export type { OrgSeed, OrganizationSeed, PermissionSetSeed, ProfileSeed, UserSeed } from './org/seed.js';
export type { SetupAppSeed } from './org/setupApps.js';
export { PERMISSION_FIELDS, type Permissions, type PermissionField } from './org/directory.js';
export { OrgState } from './org/state.js';
export type { ConnectedAppPolicies, VendorAppSeed, VendorAppStage, AuthorizeOutcome } from './org/connectedApps.js';
export type { MdRecord, MdValue, StoredComponent } from './metadata/store.js';
export type { DeployRecord } from './metadata/operations.js';
export { caseSafeSuffix, to18, KeyPrefix } from './ids.js';
export {
  DEFAULT_READINGS,
  READING_NAMES,
  READING_SPECS,
  STRICT_READINGS,
  type ReadingName,
  type Readings,
} from './readings.js';
export { Clock, DAY_MS } from './time.js';
