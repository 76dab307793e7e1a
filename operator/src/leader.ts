// Leader election on a coordination.k8s.io Lease, client-go's algorithm in small: the holder renews
// every retry period; another candidate takes over only when it has watched the lease's renewTime stay
// unchanged for a full lease duration on ITS OWN clock (so clock skew between nodes does not matter).
// Every write is a replace with the resourceVersion just read, so two candidates cannot both win.
// A leader that cannot renew within renewDeadline stops leading (the process then exits and restarts,
// the conventional way to drop every cached assumption).
import type { Logger } from 'pino';
import { Kube, microTime, statusCode, type Lease } from './kube.js';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export class LeaderElector {
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private observed: { renewTime?: string; holder?: string; at: number } = { at: 0 };
  private lastRenew = 0;

  constructor(
    private readonly kube: Kube,
    private readonly o: LeaderOptions,
    private readonly log: Logger,
    private readonly cb: { onStartedLeading(): void; onStoppedLeading(): void },
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.tryAcquireOrRenew();
      } catch (e) {
        this.log.warn({ err: String(e) }, 'lease update failed');
      }
      if (this.leading && Date.now() - this.lastRenew > this.o.renewDeadlineMs) {
        this.log.error('could not renew the lease within the renew deadline; stopping leading');
        this.leading = false;
        this.cb.onStoppedLeading();
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.o.retryPeriodMs);
    };
    void tick();
  }

  private spec(now: Date, prev?: Lease['spec']): Lease['spec'] {
    const taking = prev?.holderIdentity !== this.o.identity;
    return {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
      acquireTime: taking || !prev?.acquireTime ? microTime(now) : prev.acquireTime,
      renewTime: microTime(now),
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (taking && prev?.holderIdentity ? 1 : 0),
    };
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const { namespace, name } = this.o;
    const now = new Date();
    let lease: Lease;
    try {
      lease = await this.kube.getLease(namespace, name);
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
      await this.kube.createLease(namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: this.spec(now) });
      this.won();
      return;
    }
    const s = lease.spec ?? {};
    if (s.renewTime !== this.observed.renewTime || s.holderIdentity !== this.observed.holder) {
      this.observed = { renewTime: s.renewTime, holder: s.holderIdentity, at: Date.now() };
    }
    const mine = s.holderIdentity === this.o.identity;
    const free = !s.holderIdentity;
    const expired = Date.now() - this.observed.at > (s.leaseDurationSeconds ?? 15) * 1000;
    if (!mine && !free && !expired) {
      if (this.leading) {
        this.leading = false;
        this.cb.onStoppedLeading();
      }
      return;
    }
    await this.kube.replaceLease(namespace, name, { ...lease, spec: this.spec(now, s) });
    this.won();
  }

  private won(): void {
    this.lastRenew = Date.now();
    if (!this.leading) {
      this.leading = true;
      this.log.info({ identity: this.o.identity }, 'became leader');
      this.cb.onStartedLeading();
    }
  }

  /** Stops renewing; a leader hands the lease back so a standby takes over without waiting it out. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.kube.getLease(this.o.namespace, this.o.name);
      if (lease.spec?.holderIdentity === this.o.identity) {
        await this.kube.replaceLease(this.o.namespace, this.o.name, { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() } });
      }
    } catch (e) {
      this.log.warn({ err: String(e) }, 'could not release the lease');
    }
  }
}
