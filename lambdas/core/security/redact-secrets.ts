/**
 * DigitalOcean's token formats: personal access (`dop_v1_`), OAuth (`doo_v1_`) and refresh
 * (`dor_v1_`) tokens, each followed by 64 hex digits.
 */
const TOKEN_PATTERN = /\bdo[opr]_v1_[0-9a-f]{64}\b/gi;

const REDACTED = '[redacted token]';

/**
 * A last line of defence for anything that leaves the process as text (log lines, CLI output,
 * error messages). The token is never put in such text on purpose; this catches the accident.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let result = text.replace(TOKEN_PATTERN, REDACTED);
  for (const secret of knownSecrets) {
    // Short strings would redact ordinary words; a real token is long.
    if (secret.length >= 16) result = result.split(secret).join(REDACTED);
  }
  return result;
}
