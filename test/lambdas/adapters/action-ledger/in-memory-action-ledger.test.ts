import { InMemoryActionLedger } from '../../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import { describeActionLedgerContract } from './action-ledger-contract';

describeActionLedgerContract('InMemoryActionLedger', async (options) => new InMemoryActionLedger(options));
