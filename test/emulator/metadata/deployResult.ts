/**
 * The one builder of a DeployResult on the wire, for both APIs that report deploys: SOAP checkDeployStatus and REST
 * `metadata/deployRequest`. The fields and their (WSDL) order are the same; the two wire shapes differ only where a
 * DeployResultWire says so. SOAP leaves out what the result does not have, where REST JSON writes null. SOAP lists
 * component failures even without includeDetails (and successes only with it), as component messages in WSDL element
 * order, with a short runTestResult; REST has details only with includeDetails (else null), messages as stored, and
 * the full runTestResult of the REST resource.
 */
import type { XmlObject, XmlValue } from '../xml.js';
import type { DeployMessage, DeployResultData } from './operations.js';

export type DeployResultWire = {
  /** What an optional value the result does not have is written as. */
  absent: undefined | null;
  /** Details (failures, and successes with includeDetails) even without includeDetails when a component failed. */
  failuresWithoutDetails: boolean;
  message: (m: DeployMessage) => XmlObject;
  runTestResult: XmlObject;
};

export const SOAP_DEPLOY_RESULT: DeployResultWire = {
  absent: undefined,
  failuresWithoutDetails: true,
  message: (m) => ({
    changed: m.changed,
    columnNumber: m.columnNumber,
    componentType: m.componentType,
    created: m.created,
    createdDate: m.createdDate,
    deleted: m.deleted,
    fileName: m.fileName,
    fullName: m.fullName,
    id: m.id,
    lineNumber: m.lineNumber,
    problem: m.problem,
    problemType: m.problemType,
    success: m.success,
  }),
  runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: '0.0' },
};

export const REST_DEPLOY_RESULT: DeployResultWire = {
  absent: null,
  failuresWithoutDetails: false,
  message: (m) => m,
  runTestResult: {
    numFailures: 0,
    numTestsRun: 0,
    totalTime: 0,
    codeCoverage: [],
    codeCoverageWarnings: [],
    failures: [],
    flowCoverage: [],
    flowCoverageWarnings: [],
    successes: [],
  },
};

/** A DeployResult in WSDL element order, in the wire shape of one API. */
export function deployResult(r: DeployResultData, includeDetails: boolean, wire: DeployResultWire): XmlObject {
  const optional = (value: XmlValue): XmlValue => value ?? wire.absent;
  return {
    canceledBy: optional(r.canceledBy),
    canceledByName: optional(r.canceledByName),
    checkOnly: r.checkOnly,
    completedDate: optional(r.completedDate),
    createdBy: r.createdBy,
    createdByName: r.createdByName,
    createdDate: r.createdDate,
    details:
      includeDetails || (wire.failuresWithoutDetails && r.componentFailures.length > 0)
        ? details(r, includeDetails, wire)
        : wire.absent,
    done: r.done,
    errorMessage: optional(r.errorMessage),
    errorStatusCode: optional(r.errorStatusCode),
    id: r.id,
    ignoreWarnings: r.ignoreWarnings,
    lastModifiedDate: r.lastModifiedDate,
    numberComponentErrors: r.numberComponentErrors,
    numberComponentsDeployed: r.numberComponentsDeployed,
    numberComponentsTotal: r.numberComponentsTotal,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: r.rollbackOnError,
    runTestsEnabled: false,
    startDate: r.startDate,
    stateDetail: optional(r.stateDetail),
    status: r.status,
    success: r.success,
  };
}

function details(r: DeployResultData, includeDetails: boolean, wire: DeployResultWire): XmlObject {
  return {
    componentFailures: r.componentFailures.map(wire.message),
    componentSuccesses: includeDetails ? r.componentSuccesses.map(wire.message) : [],
    runTestResult: wire.runTestResult,
  };
}
