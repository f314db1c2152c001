/**
 * The problem messages of a deploy: a failure of the package (manifest, zip) and a failure of one component. Their
 * createdDate is left empty here and stamped with the org's clock when the deploy completes (deploy.ts).
 */
import type { DeployMessage } from './operations.js';
import type { MetadataTypeDef } from './types.js';

export function packageFailure(fileName: string, problem: string): DeployMessage {
  return {
    changed: false,
    componentType: '',
    created: false,
    createdDate: '',
    deleted: false,
    fileName,
    fullName: fileName.split('/').pop() ?? fileName,
    problem,
    problemType: 'Error',
    success: false,
  };
}

export function failure(
  component: { def: MetadataTypeDef; fullName: string; fileName: string },
  problem: string,
  problemType: 'Error' | 'Warning',
  line?: number,
  column?: number,
): DeployMessage {
  return {
    changed: false,
    ...(column !== undefined ? { columnNumber: column } : {}),
    componentType: component.def.name,
    created: false,
    createdDate: '',
    deleted: false,
    fileName: component.fileName,
    fullName: component.fullName,
    ...(line !== undefined ? { lineNumber: line } : {}),
    problem,
    problemType,
    success: false,
  };
}
