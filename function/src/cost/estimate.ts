// Monthly cost of a decision from the price table. Pure: same decision and traffic → same figures.
import type { Cloud, CostEstimate, CostLine, DeploymentConfig, Strategy } from '../types.js';
import {
  BUILD_MINUTES,
  CLOUD_PRICES,
  KEPT_IMAGES,
  HOURS_PER_MONTH,
  IMAGE_GB,
  LOG_BYTES_PER_REQUEST,
  LOG_RETENTION_DAYS,
  PRICE_DATE,
  PRICE_SOURCE,
  instancePrice,
} from './prices.js';

export interface Traffic {
  requestsPerMonth: number;
  avgDurationMs: number;
}

export interface CostInput {
  cloud: Cloud;
  region: string;
  strategy: Strategy;
  config: DeploymentConfig;
  policies: readonly string[];
  traffic: Traffic;
  /** The claim names a prebuilt image (spec.image): nothing is built or stored. */
  prebuiltImage?: boolean;
}

const REFERENCE_REGION: Record<Cloud, string> = { aws: 'us-east-1', gcp: 'us-central1' };

const round2 = (n: number): number => Math.round(n * 100) / 100;
const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

function line(item: string, quantity: number, unit: string, unitPrice: number): CostLine {
  return { item, quantity: round6(quantity), unit, unitPrice, monthly: round2(quantity * unitPrice) };
}

/** Whether the composition puts a load balancer in front (the KCL modules follow the same rule). */
export function needsLoadBalancer(strategy: Strategy, config: DeploymentConfig, policies: readonly string[]): boolean {
  if (strategy === 'serverless') return false;
  if (strategy === 'kubernetes') return true;
  return (config.maxInstances ?? 1) > 1 || policies.includes('require-https');
}

/**
 * Public IPv4 addresses of an internet-facing AWS load balancer (the vm ALB, the kubernetes
 * Service's NLB): one per Availability Zone it spans, at least 2 (an ALB needs two), each billed
 * per hour like any public IPv4.
 */
export const AWS_LB_PUBLIC_IPV4S = 2;

/** Alarms a target tracking scaling policy creates (scale out + scale in). */
export const TARGET_TRACKING_ALARMS = 2;

/** Alarms the enable-monitoring policy adds: CPU/errors + latency + health. */
export const MONITORING_ALARMS = 3;

export function estimateCost(input: CostInput): CostEstimate {
  const { cloud, strategy, config, policies, traffic } = input;
  const p = CLOUD_PRICES[cloud];
  const lines: CostLine[] = [];
  if (strategy === 'vm') {
    const type = config.instanceType ?? '';
    const count = config.minInstances ?? 1;
    lines.push(line(`${type} instance`, count * HOURS_PER_MONTH, 'instance-hour', instancePrice(cloud, type).hourly));
    lines.push(line('block storage', count * (config.diskGb ?? 20), 'GB-month', p.diskGbMonth));
    // A public IPv4 per instance, billed while in use: gcp_vm.k gives every instance an ephemeral
    // external IP (accessConfig); aws_vm.k only a VM reached directly (no load balancer: a public
    // subnet, associatePublicIpAddress), behind one its instances sit in private subnets without.
    if (cloud === 'gcp' || !needsLoadBalancer(strategy, config, policies)) lines.push(line('public IPv4', count * HOURS_PER_MONTH, 'address-hour', p.publicIpv4Hourly));
    if (cloud === 'aws' && (config.maxInstances ?? count) > count) {
      // aws_vm.k's target tracking policy: EC2 Auto Scaling creates and keeps its two CloudWatch alarms.
      lines.push(line('scaling alarms', TARGET_TRACKING_ALARMS, 'alarm-month', p.alarmMonthly));
    }
  } else if (strategy === 'kubernetes') {
    const type = config.instanceType ?? '';
    const nodes = config.nodeCount ?? 2;
    lines.push(line('managed control plane', HOURS_PER_MONTH, 'cluster-hour', p.kubernetesControlPlaneHourly));
    lines.push(line(`${type} node`, nodes * HOURS_PER_MONTH, 'node-hour', instancePrice(cloud, type).hourly));
    lines.push(line('node storage', nodes * (config.diskGb ?? 20), 'GB-month', p.diskGbMonth));
  } else {
    const memGb = (config.memoryMb ?? 512) / 1024;
    const seconds = (traffic.requestsPerMonth * traffic.avgDurationMs) / 1000;
    const millions = traffic.requestsPerMonth / 1_000_000;
    lines.push(line('compute (memory)', seconds * memGb, 'GB-second', p.serverlessGbSecond));
    if (p.serverlessVcpuSecond > 0) lines.push(line('compute (vCPU)', seconds, 'vCPU-second', p.serverlessVcpuSecond));
    lines.push(line('requests', millions, 'million requests', p.serverlessPerMillionRequests));
    // Lambda function URLs and Cloud Run URLs are HTTPS-only: require-https costs nothing extra.
    // Warm instances kept for availability are billed as idle memory+CPU all month.
    const warm = config.minInstances ?? 0;
    if (warm > 0) {
      const warmSeconds = warm * HOURS_PER_MONTH * 3600;
      lines.push(line('warm instances (memory)', warmSeconds * memGb, 'GB-second', p.serverlessGbSecond));
      if (p.serverlessVcpuSecond > 0) lines.push(line('warm instances (vCPU)', warmSeconds, 'vCPU-second', p.serverlessVcpuSecond));
    }
    if (cloud === 'aws') {
      // aws_serverless.k composes the function's log group (/aws/lambda/<name>, LOG_RETENTION_DAYS):
      // a month's logs are ingested, and at steady state retention × daily volume is stored.
      const logGb = (traffic.requestsPerMonth * LOG_BYTES_PER_REQUEST) / 1e9;
      lines.push(line('log ingestion', logGb, 'GB', p.logIngestionGb));
      lines.push(line('log storage', (logGb * LOG_RETENTION_DAYS * 12) / 365, 'GB-month', p.logStorageGbMonth));
    }
  }
  if (needsLoadBalancer(strategy, config, policies)) {
    // kubernetes: the Service's own load balancer (on AWS an NLB: aws_kubernetes.k asks for type nlb).
    const hourly = strategy === 'kubernetes' ? p.serviceLoadBalancerHourly : p.loadBalancerHourly;
    lines.push(line('load balancer', HOURS_PER_MONTH, 'hour', hourly));
    if (cloud === 'aws') lines.push(line('public IPv4', AWS_LB_PUBLIC_IPV4S * HOURS_PER_MONTH, 'address-hour', p.publicIpv4Hourly));
  }
  if (!input.prebuiltImage) {
    // The compositions build the image: CodeBuild into ECR (aws_*.k), Cloud Build into Artifact
    // Registry (lib.k gcp_image); BUILD_MINUTES per commit, KEPT_IMAGES images stored.
    lines.push(line('image build', BUILD_MINUTES, 'build-minute', p.buildMinute));
    lines.push(line('image storage', KEPT_IMAGES[cloud] * IMAGE_GB, 'GB-month', p.imageStorageGbMonth));
  }
  if (policies.includes('enable-monitoring')) {
    // The alarms notify the deployment's SNS topic (aws_*.k alarm-topic, + an e-mail subscription):
    // not priced, a few alarm notifications a month are inside SNS's free tier (1,000 e-mails, 1M publishes).
    lines.push(line('monitoring alarms', MONITORING_ALARMS, 'alarm-month', p.alarmMonthly));
  }
  const total = round2(lines.reduce((s, l) => s + l.monthly, 0));
  const regionNote =
    input.region === REFERENCE_REGION[cloud] ? '' : ` (priced at ${REFERENCE_REGION[cloud]} rates for ${input.region})`;
  return {
    estimatedMonthly: total,
    currency: 'USD',
    breakdown: lines,
    priceSource: PRICE_SOURCE + regionNote,
    priceDate: PRICE_DATE,
  };
}
