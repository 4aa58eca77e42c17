import { InvalidValueError } from '../../errors/index.js';
/** One settled obligation of an account: what it promised and what the meter shows it delivered. */
export interface Settled {
  account: string;
  time: number;
  contractedKwh: number;
  deliveredKwh: number;
}

export interface AccountHistory {
  account: string;
  transactions: number;
  contractedKwh: number;
  deliveredKwh: number;
  /** delivered / contracted over all its transactions, capped at 1 per transaction */
  deliveryRate: number;
  /** the rate shrunk towards the prior for short histories: a score markets can rank by */
  reputation: number;
}

/**
 * Each account's history of settled transactions and its delivery success rate. The reputation
 * is the posterior mean of a Beta(α, β) prior on the delivered share of each contracted kWh, so a
 * newcomer starts at α/(α+β) and a few transactions cannot make a perfect or a ruined name.
 */
export class ReputationBook {
  private readonly byAccount = new Map<string, { n: number; contracted: number; delivered: number }>();

  constructor(private readonly prior = { alpha: 8, beta: 2 }) {}

  record(s: Settled): void {
    if (!(s.contractedKwh >= 0 && s.deliveredKwh >= 0))
      throw new InvalidValueError(
        `reputation: ${s.account} at ${s.time}: contractedKwh and deliveredKwh must not be negative`,
      );
    const h = this.byAccount.get(s.account) ?? { n: 0, contracted: 0, delivered: 0 };
    h.n++;
    h.contracted += s.contractedKwh;
    // delivering more than promised does not make up for another shortfall
    h.delivered += Math.min(s.deliveredKwh, s.contractedKwh);
    this.byAccount.set(s.account, h);
  }

  history(account: string): AccountHistory {
    const h = this.byAccount.get(account) ?? { n: 0, contracted: 0, delivered: 0 };
    const { alpha, beta } = this.prior;
    return {
      account,
      transactions: h.n,
      contractedKwh: h.contracted,
      deliveredKwh: h.delivered,
      deliveryRate: h.contracted > 0 ? h.delivered / h.contracted : 1,
      reputation: (alpha + h.delivered) / (alpha + beta + h.contracted),
    };
  }
}
