/**
 * The tag that tells every policy to leave a droplet alone. A person puts it on a droplet in
 * DigitalOcean's console or API ("leave this one alone") and takes it off again; nothing here
 * writes it.
 */
export const SKIP_TAG = 'droplet-scheduler-skip';

/** DigitalOcean's rule for tag names: letters, digits, `:`, `-` and `_`, at most 255 characters. */
const TAG_NAME = /^[a-zA-Z0-9_:-]{1,255}$/;

/**
 * The tags that make a policy leave a droplet alone: `droplet-scheduler-skip`, and
 * `droplet-scheduler-skip-<policy>` when the policy's name can be part of a tag (a `.` in it
 * cannot: DigitalOcean's tags allow letters, digits, `:`, `-` and `_` only).
 */
export function skipTagsOf(policy: string): readonly string[] {
  const own = `${SKIP_TAG}-${policy}`;
  return TAG_NAME.test(own) ? [SKIP_TAG, own] : [SKIP_TAG];
}

/** The skip tag of `policy` a droplet with these tags carries, or undefined. */
export function skipTagAmong(policy: string, tags: readonly string[] | undefined): string | undefined {
  if (tags === undefined || tags.length === 0) return undefined;
  return skipTagsOf(policy).find((tag) => tags.includes(tag));
}

/** Why a droplet was left alone, as the ledger and the `Droplet Action Skipped` event say it. */
export function skipTagReason(tag: string): string {
  return `the droplet carries the tag ${tag}`;
}
