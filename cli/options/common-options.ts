import { Option, type Command } from 'commander';

/** Flags of every command that reads a policy file. */
export interface PolicyFileFlags {
  readonly file: string;
}

/** Where the ledger is: the local store, or a deployed DynamoDB table. */
export interface StoreFlags {
  readonly store: string;
  readonly table?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/** Which DigitalOcean API to call. The token is never a flag: it is read from DIGITALOCEAN_TOKEN. */
export interface ApiFlags {
  readonly apiUrl?: string;
}

/** How long a command keeps trying to reach DigitalOcean before it gives up with exit 2. */
export interface WaitTimeoutFlags {
  readonly waitTimeout: string;
}

export const DEFAULT_POLICY_FILE = './policies.yaml';
export const DEFAULT_STORE_DIR = '.droplet-scheduler';
export const DIGITALOCEAN_API_URL = 'https://api.digitalocean.com';

export function addPolicyFileOption(command: Command): Command {
  return command.option('-f, --file <file>', 'the policy file', DEFAULT_POLICY_FILE);
}

export function addStoreOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--store <dir>', 'the local ledger: dynalite on disk in this directory').default(
        DEFAULT_STORE_DIR,
      ),
    )
    .addOption(new Option('--table <name>', "a deployed stack's DynamoDB ledger table, instead of --store"))
    .addOption(new Option('--region <region>', 'the AWS region of --table (default: AWS_REGION)'))
    .addOption(new Option('--endpoint <url>', 'a DynamoDB endpoint for --table, e.g. DynamoDB Local'));
}

export function addApiOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--api-url <url>',
      `DigitalOcean's API (default: DIGITALOCEAN_API_URL, else ${DIGITALOCEAN_API_URL})`,
    ),
  );
}

/** `--wait-timeout`: how long DigitalOcean may stay unreachable before the command exits 2. */
export function waitTimeoutOption(defaultValue: string): Option {
  return new Option(
    '--wait-timeout <duration>',
    'longest time DigitalOcean may stay unreachable (no answer, or only 5xx) before exit 2',
  ).default(defaultValue);
}
