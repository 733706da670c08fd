export { BILLING_NOTICE, isPowerSchedule } from './billing-notice';
export { dispatchModeOf } from './dispatch-mode';
export { DIGITALOCEAN_RATE_LIMITS, type RateLimits } from './rate-limits';
export { checkRunWindow, maxTargetsInWindow, runWindowMinutes, type WindowCheck } from './run-window';
export { sendDuration, type SendDuration } from './send-duration';
export { ITEMS_PER_PAGE, tickBudget, type BudgetPolicy, type TickBudget } from './tick-budget';
export { formatMinutes } from './format-minutes';
export { policyRunWindowMinutes, windowRisk, WINDOW_SAMPLE_TICKS, type WindowRisk } from './window-risk';
export { RECONCILE_SHARE, teamBudgets, type TeamBudget } from './team-budget';
