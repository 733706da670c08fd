// Tests start dynalite the same way the local runtime does.
export {
  startDynalite,
  type RunningDynalite,
  type StartDynaliteOptions,
} from '../../lambdas/adapters/local/start-dynalite';
