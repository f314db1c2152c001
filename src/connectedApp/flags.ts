/*
 * The flags that describe a vendor's connected-app guide, shared by `sf ren connected-app status` and `setup`, and
 * the definition they give: Inven's preset, then `--definition FILE`, then the flags.
 */
import type { Interfaces } from '@oclif/core';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { optionFlag } from '../shared/flags.js';
import { sfCommand } from '../shared/commandLine.js';
import { splitList } from '../shared/lists.js';
import {
  type ConnectedAppDefinition,
  type DefinitionInput,
  IP_RELAXATION_FLAG,
  PERMITTED_USERS_FLAG,
  REFRESH_TOKEN_POLICY_FLAG,
  REFRESH_TOKEN_UNIT_FLAG,
  definitionProblems,
  invalidDefinitionError,
  mergeDefinition,
  readDefinitionFile,
} from './definition.js';
import { type IpRange, parseIpRange } from './ipRanges.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp.flags');

const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);
const option = <M extends Record<string, string>>(flag: string, map: M): ReturnType<typeof optionFlag<M>> =>
  optionFlag(summary(flag), map);

export const guideFlags = {
  // One flag names the app in every command; -n/--name still work and warn (sf's deprecation policy).
  app: Flags.string({
    char: 'a',
    summary: summary('app'),
    aliases: ['name'],
    charAliases: ['n'],
    deprecateAliases: true,
  }),
  definition: Flags.file({ summary: summary('definition'), exists: true }),
  'permitted-users': option('permitted-users', PERMITTED_USERS_FLAG),
  'ip-relaxation': option('ip-relaxation', IP_RELAXATION_FLAG),
  'ip-range': Flags.string({ summary: summary('ip-range'), multiple: true }),
  'refresh-token-policy': option('refresh-token-policy', REFRESH_TOKEN_POLICY_FLAG),
  'refresh-token-validity': Flags.integer({ summary: summary('refresh-token-validity'), min: 1 }),
  'refresh-token-unit': option('refresh-token-unit', REFRESH_TOKEN_UNIT_FLAG),
  profile: Flags.string({ summary: summary('profile'), multiple: true }),
  'permission-set': Flags.string({ summary: summary('permission-set'), multiple: true }),
};

/** The values of the guide flags as oclif parses them (a command may have more flags). */
export type GuideFlagValues = Interfaces.InferredFlags<typeof guideFlags>;

/** Comma-separated or repeated values, trimmed, empty ones dropped; undefined when the flag was not given. */
const list = (values: string[] | undefined): string[] | undefined =>
  values === undefined ? undefined : splitList(values);

/**
 * The guide to follow: Inven's preset, the definition file, then the flags. Trusted IP ranges replace relaxing IP
 * restrictions (the guide's note) unless --ip-relaxation says otherwise. Throws RenInvalidConnectedAppDefinitionError
 * with every problem at once; nothing has been sent to the org then.
 */
export async function guideFromFlags(flags: GuideFlagValues): Promise<ConnectedAppDefinition> {
  const problems: string[] = [];
  let fromFile: DefinitionInput | undefined;
  if (flags.definition) {
    const file = await readDefinitionFile(flags.definition);
    problems.push(...file.problems);
    fromFile = file.input;
  }
  const ranges: IpRange[] = [];
  for (const text of list(flags['ip-range']) ?? []) {
    const parsed = parseIpRange(text);
    if ('problem' in parsed) problems.push(`--ip-range: ${parsed.problem}`);
    else ranges.push(parsed.range);
  }
  const fromFlags: DefinitionInput = {
    name: flags.app?.trim(),
    permittedUsers: flags['permitted-users'] && PERMITTED_USERS_FLAG[flags['permitted-users']],
    ipRelaxation: flags['ip-relaxation'] && IP_RELAXATION_FLAG[flags['ip-relaxation']],
    refreshTokenPolicy: flags['refresh-token-policy'] && REFRESH_TOKEN_POLICY_FLAG[flags['refresh-token-policy']],
    refreshTokenValidity: flags['refresh-token-validity'],
    refreshTokenUnit: flags['refresh-token-unit'] && REFRESH_TOKEN_UNIT_FLAG[flags['refresh-token-unit']],
    ipRanges: ranges,
    profiles: list(flags.profile),
    permissionSets: list(flags['permission-set']),
  };
  const definition = mergeDefinition(fromFile, fromFlags);
  const rangesGiven = (fromFile?.ipRanges?.length ?? 0) + ranges.length > 0;
  const relaxationGiven = fromFile?.ipRelaxation !== undefined || fromFlags.ipRelaxation !== undefined;
  if (rangesGiven && !relaxationGiven) definition.ipRelaxation = 'ENFORCE';
  problems.push(...definitionProblems(definition));
  if (problems.length > 0) throw invalidDefinitionError(problems);
  return definition;
}

/** `sf ren connected-app setup` for this org and app, for the fixes the checks name. */
export function setupCommandFor(
  target: string,
  def: ConnectedAppDefinition,
  flags: Pick<GuideFlagValues, 'definition'>,
): string {
  return sfCommand('ren connected-app setup', [
    ['--target-org', target],
    ['--app', def.name === 'Inven' ? undefined : def.name],
    ['--definition', flags.definition],
  ]);
}
