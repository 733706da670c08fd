import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Policy } from '../lambdas/core/policy/policy';

/**
 * Initiate instances that may run at once, by default.
 *
 * DigitalOcean allows one token 250 requests a minute. One instance, paced by its header-aware limiter
 * (about 240 ms a request), already spends that whole budget, so more instances would only contend for
 * it. Two is the least an SQS event source mapping accepts as its maximum concurrency; the two
 * instances see each other's requests in `ratelimit-remaining` and the limiter counts them as
 * external use, so together they stay under 250 a minute.
 */
export const DEFAULT_INITIATE_CONCURRENCY = 2;

/** How long ledger items live, by default: 400 days covers a full year of audits plus a month's slack. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 400;

export interface DropletSchedulerProps {
  /**
   * The policies to deploy, one EventBridge schedule each, normalized as the policy loader returns them
   * (`loadPolicyFile(path).policies`). They are validated again at synth: a bad one throws the loader's
   * `PolicyValidationError`.
   */
  readonly policies: readonly Policy[];

  /**
   * The Secrets Manager secret that holds the DigitalOcean API token as its plain `SecretString`.
   * The token itself is never a prop, a parameter or an environment variable: the functions read the
   * secret once per cold start.
   */
  readonly tokenSecret: secretsmanager.ISecret;

  /**
   * The DigitalOcean API's base URL. Point it at a proxy or a test double; never at a URL with credentials.
   * @default 'https://api.digitalocean.com'
   */
  readonly apiUrl?: string;

  /**
   * The bus that receives the action events (completed, errored, timed-out, rejected, snapshot deleted).
   * @default the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * Who is told when something needs a person: every alarm's ALARM and OK, and each action that
   * failed, timed out or was skipped (by email, an SNS topic of yours, a webhook such as Slack's).
   * @default no notifications: the alarms still change state and show on the dashboard
   */
  readonly notifications?: DropletSchedulerNotifications;

  /**
   * Where every alarm sends its ALARM and OK notifications.
   * @deprecated use `notifications: { topic }`, which also sends the failed, timed-out and skipped
   * actions to the topic. This is an alias of it; giving both is refused.
   * @default no notifications
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How often the reconciler looks for open actions that are due. EventBridge Scheduler's finest rate is one minute.
   * @default Duration.minutes(1)
   */
  readonly reconcileInterval?: Duration;

  /**
   * The most initiate Lambda instances at once: its reserved concurrency and its SQS event source's
   * maximum concurrency. At least 2 (SQS event sources cannot go lower).
   * @default DEFAULT_INITIATE_CONCURRENCY (2): one token stays under 250 requests a minute
   */
  readonly initiateConcurrency?: number;

  /**
   * Teams with a token of their own, by team name (as policies name it in `team`). Each gets its own
   * unit: a work queue and its dead-letter queue, dispatch, initiate and reconcile functions and a
   * reconcile schedule, reading that team's token only, with its own rate limits and initiate
   * concurrency, so that one team's 429s or backlog never hold back another's ticks. The team's
   * policies are dispatched there. Policies naming no team, or a team not listed here, use
   * `tokenSecret` and `initiateConcurrency`. The ledger, schedule group, bus, notifications and
   * dashboard stay shared. Every team listed must be named by at least one policy.
   * @default no team units: every policy uses `tokenSecret`
   */
  readonly teams?: Readonly<Record<string, DropletSchedulerTeam>>;

  /**
   * How long a ledger item is kept before DynamoDB's TTL deletes it. Whole days.
   * @default Duration.days(400)
   */
  readonly auditRetention?: Duration;

  /**
   * What happens to the ledger table when it leaves the stack. Unless it is `DESTROY`, the table
   * also has deletion protection: DynamoDB refuses to delete it until that is turned off.
   * @default RemovalPolicy.RETAIN: the audit trail outlives the stack
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long each function's log group keeps its logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** A team's own token and initiate concurrency (see `DropletSchedulerProps.teams`). */
export interface DropletSchedulerTeam {
  /**
   * The Secrets Manager secret holding the team's DigitalOcean token as its plain `SecretString`.
   * Only the team's own three functions may read it.
   */
  readonly tokenSecret: secretsmanager.ISecret;

  /**
   * The most initiate instances of the team's unit at once (at least 2, as for `initiateConcurrency`).
   * @default DEFAULT_INITIATE_CONCURRENCY (2): one token stays under 250 requests a minute
   */
  readonly initiateConcurrency?: number;
}

/**
 * Where notifications go. Any combination works; with none of the three set, nothing is sent.
 * The messages come from EventBridge input transformers (no function of ours in between), e.g.
 * `droplet-scheduler: weekend-off (tick 2026-11-27T19:00:00.000Z): shutdown of droplet 3164450
 * (staging-web-2) timed-out (timed_out): expected shutdown to finish within 5 minutes, got: in-progress`
 */
export interface DropletSchedulerNotifications {
  /**
   * Email addresses to subscribe to the notification topic. SNS sends each one a confirmation
   * email first; nothing arrives until it is confirmed.
   * @default no email subscriptions
   */
  readonly emails?: readonly string[];

  /**
   * An SNS topic of yours for the alarms and the action notifications (the emails subscribe to it).
   * The construct cannot change an imported topic's access policy: it must let `events.amazonaws.com`
   * and `cloudwatch.amazonaws.com` publish.
   * @default a topic the construct creates when `emails` is set; otherwise no topic
   */
  readonly topic?: sns.ITopic;

  /**
   * The name of a Secrets Manager secret describing a webhook that receives the same messages as
   * `{ "text": "..." }` (what Slack's incoming webhooks read), through an EventBridge API destination.
   * Its `SecretString` is JSON: `{ "url": "https://hooks.slack.com/services/...", "headerName":
   * "X-Droplet-Scheduler", "headerValue": "..." }`. An EventBridge connection always sends one header:
   * use `Authorization` and `Bearer <token>` for a webhook that wants one, any header for Slack. CloudFormation
   * reads the secret at deploy time (a dynamic reference): the template never holds the URL.
   * A webhook also receives the alarms' state changes.
   * @default no webhook
   */
  readonly webhookSecretName?: string;
}
