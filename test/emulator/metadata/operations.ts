/**
 * The records the org keeps of its asynchronous Metadata API operations: deploys (options, status, component
 * messages, the result) and retrieves (status, zip, file properties).
 */

export type DeployMessage = {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Warning' | 'Error';
  success: boolean;
};

export type DeployStatus =
  'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';

export type DeployOptions = {
  allowMissingFiles?: boolean;
  autoUpdatePackage?: boolean;
  checkOnly?: boolean;
  ignoreWarnings?: boolean;
  performRetrieve?: boolean;
  purgeOnDelete?: boolean;
  rollbackOnError?: boolean;
  runAllTests?: boolean;
  runTests?: string[];
  singlePackage?: boolean;
  testLevel?: string;
};

export type DeployResultData = {
  id: string;
  status: DeployStatus;
  success: boolean;
  done: boolean;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  rollbackOnError: boolean;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  startDate: string;
  completedDate?: string;
  lastModifiedDate: string;
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  errorMessage?: string;
  errorStatusCode?: string;
  stateDetail?: string;
  componentSuccesses: DeployMessage[];
  componentFailures: DeployMessage[];
  canceledBy?: string;
  canceledByName?: string;
  numFiles?: number;
  zipSize?: number;
};

export type DeployRecord = {
  id: string;
  /** How the deploy arrived. */
  api: 'soap' | 'rest';
  apiVersion: string;
  options: DeployOptions;
  /** Components named in the zip (type + fullName), for tests. */
  components: Array<{ type: string; fullName: string; destructive?: boolean }>;
  /** The component files as the client sent them (path in the zip → XML text), for tests. */
  files: Record<string, string>;
  /** checkDeployStatus calls still to answer InProgress. */
  pollsLeft: number;
  result: DeployResultData;
  /** Applies the deploy to the store; run once when the deploy completes. */
  finish?: () => void;
};

export type RetrieveRecord = {
  id: string;
  apiVersion: string;
  pollsLeft: number;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  zipFile?: string;
  fileProperties: FileProperties[];
  messages: Array<{ fileName: string; problem: string }>;
  errorMessage?: string;
  errorStatusCode?: string;
};

export type FileProperties = {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: string;
  namespacePrefix?: string;
  type: string;
};
