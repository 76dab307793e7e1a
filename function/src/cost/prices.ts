// List prices for every size the decision engine can emit, USD, on-demand, Linux, no free tier, no
// discounts. Reference regions: AWS us-east-1, GCP us-central1. Other regions are priced with the
// reference price (typically within ±15%); the estimate says so in its priceSource.
import type { Cloud } from '../types.js';

export const PRICE_DATE = '2026-11-01';
export const PRICE_SOURCE =
  'AWS on-demand price list (us-east-1) and Google Cloud SKU pricing (us-central1), list prices as of ' + PRICE_DATE;
export const HOURS_PER_MONTH = 730;

export interface InstancePrice {
  hourly: number;
  vcpu: number;
  memoryGb: number;
}

/** Instance/node types: vm instances and kubernetes nodes. */
export const INSTANCE_PRICES: Record<Cloud, Record<string, InstancePrice>> = {
  aws: {
    't3.micro': { hourly: 0.0104, vcpu: 2, memoryGb: 1 },
    't3.small': { hourly: 0.0208, vcpu: 2, memoryGb: 2 },
    't3.medium': { hourly: 0.0416, vcpu: 2, memoryGb: 4 },
    't3.large': { hourly: 0.0832, vcpu: 2, memoryGb: 8 },
  },
  gcp: {
    'e2-micro': { hourly: 0.008376, vcpu: 0.25, memoryGb: 1 },
    'e2-small': { hourly: 0.016751, vcpu: 0.5, memoryGb: 2 },
    'e2-medium': { hourly: 0.033503, vcpu: 1, memoryGb: 4 },
    'e2-standard-2': { hourly: 0.067006, vcpu: 2, memoryGb: 8 },
  },
};

export interface CloudPrices {
  /** Managed Kubernetes control plane (EKS / GKE cluster management fee), per cluster-hour. */
  kubernetesControlPlaneHourly: number;
  /** Load balancer: ALB hour + one LCU; GCP forwarding rule (first five). */
  loadBalancerHourly: number;
  /** A kubernetes Service's load balancer: NLB hour + one NLCU (EKS's cloud controller); GCP forwarding rule. */
  serviceLoadBalancerHourly: number;
  /** Block storage per GB-month: gp3 / pd-balanced. */
  diskGbMonth: number;
  /** Serverless compute: Lambda per GB-second; Cloud Run per GiB-second (memory). */
  serverlessGbSecond: number;
  /** Cloud Run per vCPU-second (request-based billing); Lambda bundles CPU with memory. */
  serverlessVcpuSecond: number;
  /** Per million requests: Lambda requests; Cloud Run requests. */
  serverlessPerMillionRequests: number;
  /** One metric alarm / alerting condition per month. */
  alarmMonthly: number;
  /** Log ingestion per GB: CloudWatch Logs standard class; Cloud Logging beyond the free 50 GiB. */
  logIngestionGb: number;
  /** Log storage per GB-month: CloudWatch Logs archival; Cloud Logging beyond the free 30 days. */
  logStorageGbMonth: number;
  /** An external IPv4 address in use, per hour (AWS public IPv4; GCE ephemeral external IP of a VM). */
  publicIpv4Hourly: number;
  /** Image builds per build-minute: CodeBuild general1.small Linux; Cloud Build e2-standard-2 (beyond its free minutes). */
  buildMinute: number;
  /** Image storage per GB-month: ECR private repository; Artifact Registry. */
  imageStorageGbMonth: number;
}

/** Retention of the log groups the compositions create (aws_serverless.k: LogGroup retentionInDays). */
export const LOG_RETENTION_DAYS = 30;
/** Log bytes one serverless request writes: the platform's START/END/REPORT lines (~350 B) + an access line. */
export const LOG_BYTES_PER_REQUEST = 500;

export const CLOUD_PRICES: Record<Cloud, CloudPrices> = {
  aws: {
    kubernetesControlPlaneHourly: 0.1,
    loadBalancerHourly: 0.0225 + 0.008,
    serviceLoadBalancerHourly: 0.0225 + 0.006,
    diskGbMonth: 0.08,
    serverlessGbSecond: 0.0000166667,
    serverlessVcpuSecond: 0,
    serverlessPerMillionRequests: 0.2,
    alarmMonthly: 0.1,
    logIngestionGb: 0.5,
    logStorageGbMonth: 0.03,
    publicIpv4Hourly: 0.005,
    buildMinute: 0.005,
    imageStorageGbMonth: 0.1,
  },
  gcp: {
    kubernetesControlPlaneHourly: 0.1,
    loadBalancerHourly: 0.025,
    serviceLoadBalancerHourly: 0.025,
    diskGbMonth: 0.1,
    serverlessGbSecond: 0.0000025,
    serverlessVcpuSecond: 0.000024,
    serverlessPerMillionRequests: 0.4,
    alarmMonthly: 0.1,
    logIngestionGb: 0.5,
    logStorageGbMonth: 0.01,
    publicIpv4Hourly: 0.005,
    buildMinute: 0.006,
    imageStorageGbMonth: 0.1,
  },
};

/**
 * A built image (no prebuilt spec.image): one build per analysed commit, assumed BUILD_MINUTES long.
 * Every decision is one commit, so a month's estimate carries that commit's build; a team pushing
 * many commits a month pays BUILD_MINUTES × buildMinute for each (≈ $0.025 on CodeBuild).
 */
export const BUILD_MINUTES = 5;
/** Images the registry keeps: the ECR lifecycle policy (aws_*.k: imageCountMoreThan 5); the Artifact Registry cleanup policy (lib.k gcp_image: keep the 10 newest). */
export const KEPT_IMAGES: Record<Cloud, number> = { aws: 5, gcp: 10 };
/** Assumed compressed size of one app image, GB (an upper bound: layers shared between images are stored once). */
export const IMAGE_GB = 0.5;

/** Sizes ordered small → large per cloud, so sizing rules can step up and down. */
export const INSTANCE_LADDER: Record<Cloud, string[]> = {
  aws: ['t3.micro', 't3.small', 't3.medium', 't3.large'],
  gcp: ['e2-micro', 'e2-small', 'e2-medium', 'e2-standard-2'],
};

export function instancePrice(cloud: Cloud, type: string): InstancePrice {
  const p = INSTANCE_PRICES[cloud][type];
  if (!p) throw new Error(`no ${cloud} price for instance type "${type}"`);
  return p;
}
