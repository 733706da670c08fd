/**
 * The sizes, regions and images the simulated account knows, in the shape DigitalOcean returns
 * them (a representative subset of the real catalogue, with real slugs and prices).
 */
export interface SizeData {
  readonly slug: string;
  readonly memory: number;
  readonly vcpus: number;
  readonly disk: number;
  readonly transfer: number;
  readonly priceMonthly: number;
}

export const SIZES: readonly SizeData[] = [
  { slug: 's-1vcpu-512mb-10gb', memory: 512, vcpus: 1, disk: 10, transfer: 0.5, priceMonthly: 4 },
  { slug: 's-1vcpu-1gb', memory: 1024, vcpus: 1, disk: 25, transfer: 1, priceMonthly: 6 },
  { slug: 's-1vcpu-2gb', memory: 2048, vcpus: 1, disk: 50, transfer: 2, priceMonthly: 12 },
  { slug: 's-2vcpu-2gb', memory: 2048, vcpus: 2, disk: 60, transfer: 3, priceMonthly: 18 },
  { slug: 's-2vcpu-4gb', memory: 4096, vcpus: 2, disk: 80, transfer: 4, priceMonthly: 24 },
  { slug: 's-4vcpu-8gb', memory: 8192, vcpus: 4, disk: 160, transfer: 5, priceMonthly: 48 },
  { slug: 's-8vcpu-16gb', memory: 16384, vcpus: 8, disk: 320, transfer: 6, priceMonthly: 96 },
];

/** The sizes a generated droplet gets; the larger ones are only reachable by `resize`. */
export const GENERATED_SIZE_SLUGS = [
  's-1vcpu-1gb',
  's-1vcpu-2gb',
  's-2vcpu-2gb',
  's-2vcpu-4gb',
  's-4vcpu-8gb',
];

export const SIZES_BY_SLUG: ReadonlyMap<string, SizeData> = new Map(SIZES.map((size) => [size.slug, size]));

export interface RegionData {
  readonly slug: string;
  readonly name: string;
}

export const REGIONS: readonly RegionData[] = [
  { slug: 'nyc3', name: 'New York 3' },
  { slug: 'sfo3', name: 'San Francisco 3' },
  { slug: 'ams3', name: 'Amsterdam 3' },
  { slug: 'fra1', name: 'Frankfurt 1' },
  { slug: 'lon1', name: 'London 1' },
  { slug: 'sgp1', name: 'Singapore 1' },
];

export const REGIONS_BY_SLUG: ReadonlyMap<string, RegionData> = new Map(
  REGIONS.map((region) => [region.slug, region]),
);

export const REGION_FEATURES = ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'];

const REGION_SLUGS = REGIONS.map((region) => region.slug);

/** The default VPC DigitalOcean gives every account in a region. */
export function defaultVpcUuid(regionSlug: string): string {
  const index = Math.max(0, REGION_SLUGS.indexOf(regionSlug));
  return `5a4f3c2e-dc84-11e8-981e-3cfdfeaae0${String(index).padStart(2, '0')}`;
}

/** Kernels `GET /v2/droplets/{id}/kernels` offers (DigitalOcean's list is long; these are real ids). */
export const KERNELS: ReadonlyArray<{
  readonly id: number;
  readonly name: string;
  readonly version: string;
}> = [
  {
    id: 7515,
    name: 'DigitalOcean GrubLoader v0.2 (20160714)',
    version: '2016.07.13-DigitalOcean_loader_Ubuntu',
  },
  { id: 8553, name: 'Ubuntu 22.04 x64 vmlinuz-5.15.0-86-generic', version: '5.15.0-86-generic' },
  { id: 8554, name: 'Ubuntu 24.04 x64 vmlinuz-6.8.0-31-generic', version: '6.8.0-31-generic' },
];

export interface ImageData {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly distribution: 'Ubuntu' | 'Debian' | 'Rocky Linux' | 'Fedora';
  readonly minDiskSize: number;
  readonly sizeGigabytes: number;
  readonly createdAt: string;
}

export const IMAGES: readonly ImageData[] = [
  {
    id: 160231427,
    slug: 'ubuntu-24-04-x64',
    name: '24.04 (LTS) x64',
    distribution: 'Ubuntu',
    minDiskSize: 10,
    sizeGigabytes: 2.44,
    createdAt: '2024-08-01T13:52:33Z',
  },
  {
    id: 149839418,
    slug: 'ubuntu-22-04-x64',
    name: '22.04 (LTS) x64',
    distribution: 'Ubuntu',
    minDiskSize: 7,
    sizeGigabytes: 2.26,
    createdAt: '2024-02-12T19:35:14Z',
  },
  {
    id: 155433919,
    slug: 'debian-12-x64',
    name: '12 x64',
    distribution: 'Debian',
    minDiskSize: 7,
    sizeGigabytes: 1.18,
    createdAt: '2024-05-02T09:10:20Z',
  },
  {
    id: 158191310,
    slug: 'rockylinux-9-x64',
    name: '9 x64',
    distribution: 'Rocky Linux',
    minDiskSize: 10,
    sizeGigabytes: 1.44,
    createdAt: '2024-06-18T16:01:51Z',
  },
];

export const IMAGES_BY_ID: ReadonlyMap<number, ImageData> = new Map(IMAGES.map((image) => [image.id, image]));
export const IMAGES_BY_SLUG: ReadonlyMap<string, ImageData> = new Map(
  IMAGES.map((image) => [image.slug, image]),
);
