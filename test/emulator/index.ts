/** A local Salesforce org emulator for tests and demos. See server.ts for the HTTP surface. */
export { startEmulator, type Emulator, type EmulatorOptions, type RequestLogEntry } from './server.js';
export { FaultInjector, type FaultKind, type FaultRule } from './faults.js';
export type { OrgSeed, OrganizationSeed, PermissionSetSeed, ProfileSeed, UserSeed, Permissions, PermissionField } from './seed.js';
export { PERMISSION_FIELDS } from './seed.js';
export { OrgState, type MdRecord, type MdValue, type StoredComponent, type DeployRecord } from './state.js';
export { caseSafeSuffix, to18, KeyPrefix } from './ids.js';
