/**
 * The root of droplet-scheduler's error family. Adapters translate whatever their library throws
 * (ky's `HTTPError`, DynamoDB's `ConditionalCheckFailedException`, a zod issue) into a subclass
 * at the boundary, so that the domain and the CLI only ever see these.
 *
 * Each subclass declares its `name` as a literal (`override name = 'ConfigurationError' as const`):
 * a minifier renames classes, and the name is what logs, the ledger and events show. The class's
 * own name set here is the fallback (the Lambda bundles also keep names, esbuild `keepNames`).
 */
export class DropletSchedulerError extends Error {
  /** A stable, machine-readable code, e.g. `pending_event` or `policy_invalid`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
