import { describe, expect, it } from 'vitest';
import { AWS_LB_PUBLIC_IPV4S, TARGET_TRACKING_ALARMS, estimateCost } from '../function/src/cost/estimate.js';
import { BUILD_MINUTES, INSTANCE_LADDER, KEPT_IMAGES, INSTANCE_PRICES, LOG_RETENTION_DAYS } from '../function/src/cost/prices.js';
import type { DeploymentConfig } from '../function/src/types.js';

const base: DeploymentConfig = { port: 8000, healthCheckPath: '/', runtime: 'python3.12', highAvailability: false };
const traffic = { requestsPerMonth: 1_000_000, avgDurationMs: 200 };

describe('estimateCost', () => {
  it('prices a single t3.micro with its disk and public IPv4 (730 h × $0.0104 + 20 GB × $0.08 + 730 h × $0.005)', () => {
    const c = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: { ...base, instanceType: 't3.micro', minInstances: 1, maxInstances: 1, diskGb: 20 }, policies: [], traffic, prebuiltImage: true });
    expect(c.breakdown.map((l) => l.item)).toEqual(['t3.micro instance', 'block storage', 'public IPv4']);
    expect(c.estimatedMonthly).toBe(Math.round((730 * 0.0104 + 20 * 0.08 + 730 * 0.005) * 100) / 100);
    expect(c.currency).toBe('USD');
    expect(c.priceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(c.priceSource).not.toContain('priced at');
  });

  it('adds a load balancer for HA VMs and alarms for enable-monitoring', () => {
    const cfg = { ...base, instanceType: 't3.small', minInstances: 2, maxInstances: 4, diskGb: 20 };
    const plain = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: cfg, policies: [], traffic });
    const monitored = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: cfg, policies: ['enable-monitoring'], traffic });
    expect(plain.breakdown.some((l) => l.item === 'load balancer')).toBe(true);
    expect(monitored.estimatedMonthly - plain.estimatedMonthly).toBeCloseTo(0.3, 5);
  });

  it('prices the two alarms of the target tracking policy aws_vm.k adds when the group can grow', () => {
    const cfg = { ...base, instanceType: 't3.small', minInstances: 2, maxInstances: 4, diskGb: 20 };
    const scaling = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: cfg, policies: [], traffic });
    expect(scaling.breakdown.find((l) => l.item === 'scaling alarms')).toMatchObject({ quantity: TARGET_TRACKING_ALARMS, monthly: 0.2 });
    const fixed = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: { ...cfg, maxInstances: 2 }, policies: [], traffic });
    expect(fixed.breakdown.some((l) => l.item === 'scaling alarms')).toBe(false);
    const gcp = estimateCost({ cloud: 'gcp', region: 'us-central1', strategy: 'vm', config: { ...cfg, instanceType: 'e2-small' }, policies: [], traffic });
    expect(gcp.breakdown.some((l) => l.item === 'scaling alarms')).toBe(false);
  });

  it('charges the EKS control plane for kubernetes', () => {
    const c = estimateCost({ cloud: 'aws', region: 'eu-west-1', strategy: 'kubernetes', config: { ...base, instanceType: 't3.medium', nodeCount: 2, replicas: 2, diskGb: 20 }, policies: [], traffic });
    const plane = c.breakdown.find((l) => l.item === 'managed control plane');
    expect(plane?.monthly).toBe(73);
    expect(c.estimatedMonthly).toBeGreaterThan(73 + 2 * 730 * 0.0416);
    expect(c.priceSource).toContain('priced at us-east-1 rates for eu-west-1');
    // The Service's load balancer is an NLB (aws_kubernetes.k: aws-load-balancer-type nlb): hour + one NLCU.
    expect(c.breakdown.find((l) => l.item === 'load balancer')).toMatchObject({ quantity: 730, unitPrice: 0.0225 + 0.006 });
  });

  it('prices Lambda per GB-second and request', () => {
    const c = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'serverless', config: { ...base, memoryMb: 512, minInstances: 0 }, policies: [], traffic, prebuiltImage: true });
    // 1M × 0.2 s × 0.5 GB = 100 000 GB-s × $0.0000166667 = $1.67; + $0.20 requests; + logs.
    const logs = c.breakdown.filter((l) => l.item.startsWith('log ')).reduce((s, l) => s + l.monthly, 0);
    expect(c.estimatedMonthly).toBeCloseTo(1.67 + 0.2 + logs, 2);
  });

  it('prices the Lambda log group aws_serverless.k composes: ingestion and storage at its retention', () => {
    const c = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'serverless', config: { ...base, memoryMb: 512 }, policies: [], traffic: { requestsPerMonth: 10_000_000, avgDurationMs: 100 } });
    const ingest = c.breakdown.find((l) => l.item === 'log ingestion');
    const stored = c.breakdown.find((l) => l.item === 'log storage');
    // 10M requests × 500 B = 5 GB ingested × $0.50; 30 days of it kept: 5 × 30 × 12 / 365 GB-month × $0.03.
    expect(ingest).toMatchObject({ quantity: 5, unit: 'GB', monthly: 2.5 });
    expect(stored?.quantity).toBeCloseTo((5 * LOG_RETENTION_DAYS * 12) / 365, 5);
    expect(stored?.monthly).toBeCloseTo(0.15, 2);
    expect(LOG_RETENTION_DAYS).toBe(30); // = AWS_LOG_RETENTION_DAYS in compositions/kcl/aws_serverless.k
  });

  it('prices Cloud Run vCPU and memory, and warm instances', () => {
    const cold = estimateCost({ cloud: 'gcp', region: 'us-central1', strategy: 'serverless', config: { ...base, memoryMb: 512, minInstances: 0 }, policies: [], traffic });
    const warm = estimateCost({ cloud: 'gcp', region: 'us-central1', strategy: 'serverless', config: { ...base, memoryMb: 512, minInstances: 1 }, policies: [], traffic });
    expect(cold.breakdown.map((l) => l.item)).toContain('compute (vCPU)');
    expect(warm.estimatedMonthly).toBeGreaterThan(cold.estimatedMonthly + 60);
  });

  it('has a price for every size the sizing ladder can emit', () => {
    for (const cloud of ['aws', 'gcp'] as const) {
      for (const t of INSTANCE_LADDER[cloud]) expect(INSTANCE_PRICES[cloud][t]?.hourly).toBeGreaterThan(0);
    }
  });

  it('refuses an instance type it has no price for', () => {
    expect(() => estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: { ...base, instanceType: 'x9.huge' }, policies: [], traffic })).toThrow(/no aws price/);
  });
  it('prices the ephemeral external IP each GCP VM gets (gcp_vm.k accessConfig), per instance', () => {
    const gcp = estimateCost({ cloud: 'gcp', region: 'us-central1', strategy: 'vm', config: { ...base, instanceType: 'e2-small', minInstances: 2, maxInstances: 2, diskGb: 20 }, policies: [], traffic });
    expect(gcp.breakdown.find((l) => l.item === 'public IPv4')).toMatchObject({ quantity: 2 * 730, unitPrice: 0.005 });
    const single = estimateCost({ cloud: 'gcp', region: 'us-central1', strategy: 'vm', config: { ...base, instanceType: 'e2-small', minInstances: 1, maxInstances: 1, diskGb: 20 }, policies: [], traffic });
    expect(single.breakdown.filter((l) => l.item === 'public IPv4')).toMatchObject([{ quantity: 730, unitPrice: 0.005, monthly: 3.65 }]);
  });
  it("prices an AWS VM's public IPv4 only when it is reached directly (no load balancer); behind one, instances are private", () => {
    const single = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: { ...base, instanceType: 't3.small', minInstances: 1, maxInstances: 1, diskGb: 20 }, policies: [], traffic });
    expect(single.breakdown.filter((l) => l.item === 'public IPv4')).toMatchObject([{ quantity: 730, unitPrice: 0.005, monthly: 3.65 }]);
    // Behind the ALB: only the load balancer's addresses, none per instance.
    const lb = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: { ...base, instanceType: 't3.small', minInstances: 3, maxInstances: 4, diskGb: 20 }, policies: [], traffic });
    expect(lb.breakdown.filter((l) => l.item === 'public IPv4')).toMatchObject([{ quantity: AWS_LB_PUBLIC_IPV4S * 730 }]);
    const https = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: { ...base, instanceType: 't3.small', minInstances: 1, maxInstances: 1, diskGb: 20 }, policies: ['require-https'], traffic });
    expect(https.breakdown.filter((l) => l.item === 'public IPv4')).toMatchObject([{ quantity: AWS_LB_PUBLIC_IPV4S * 730 }]);
  });
  it("prices the public IPv4 addresses of AWS's internet-facing load balancers (one per AZ, at least 2)", () => {
    for (const strategy of ['vm', 'kubernetes'] as const) {
      const aws = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy, config: { ...base, instanceType: 't3.small', minInstances: 2, maxInstances: 2, nodeCount: 2, diskGb: 20 }, policies: [], traffic });
      expect(aws.breakdown.find((l) => l.item === 'public IPv4')).toMatchObject({ quantity: AWS_LB_PUBLIC_IPV4S * 730, unitPrice: 0.005, monthly: 7.3 });
    }
    const serverless = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'serverless', config: { ...base, memoryMb: 512 }, policies: ['require-https'], traffic });
    expect(serverless.breakdown.find((l) => l.item === 'public IPv4')).toBeUndefined();
  });
});

describe('built images (aws_*.k: ECR repository + CodeBuild project)', () => {
  const cfg = { ...base, instanceType: 't3.small', minInstances: 1, maxInstances: 1, diskGb: 20 };
  it('prices one build of the analysed commit and the images the ECR lifecycle policy keeps', () => {
    const c = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'vm', config: cfg, policies: [], traffic });
    // 5 build-minutes × $0.005 (CodeBuild general1.small); 5 images × 0.5 GB × $0.10.
    expect(c.breakdown.find((l) => l.item === 'image build')).toMatchObject({ quantity: BUILD_MINUTES, unit: 'build-minute', unitPrice: 0.005 });
    expect(c.breakdown.find((l) => l.item === 'image storage')).toMatchObject({ quantity: KEPT_IMAGES.aws * 0.5, unit: 'GB-month', monthly: 0.25 });
    expect(KEPT_IMAGES).toEqual({ aws: 5, gcp: 10 }); // = the ECR lifecycle rule (aws_*.k) and the Artifact Registry cleanup policy (lib.k gcp_image)
  });
  it('prices nothing for a prebuilt spec.image; on GCP Cloud Build minutes and Artifact Registry storage', () => {
    const prebuilt = estimateCost({ cloud: 'aws', region: 'us-east-1', strategy: 'serverless', config: base, policies: [], traffic, prebuiltImage: true });
    expect(prebuilt.breakdown.some((l) => l.item.startsWith('image '))).toBe(false);
    const gcp = estimateCost({ cloud: 'gcp', region: 'us-central1', strategy: 'vm', config: { ...cfg, instanceType: 'e2-small' }, policies: [], traffic });
    expect(gcp.breakdown.find((l) => l.item === 'image build')).toMatchObject({ quantity: BUILD_MINUTES, unitPrice: 0.006 });
    expect(gcp.breakdown.find((l) => l.item === 'image storage')).toMatchObject({ quantity: KEPT_IMAGES.gcp * 0.5, unitPrice: 0.1 });
  });
});
