import * as z from 'zod';
import type { Firewall, Kernel, Project, ReservedIp, Size, Volume } from '../../core/ports/droplet-api';

// DigitalOcean's JSON for the account's resources around droplets (sizes, reserved IPs, volumes,
// firewalls, projects, kernels), reduced to what the port exposes. Unknown fields pass through.

export const wireSize = z.object({
  slug: z.string(),
  price_monthly: z.number(),
  price_hourly: z.number(),
  regions: z.array(z.string()),
  available: z.boolean(),
  disk: z.number(),
  memory: z.number(),
  vcpus: z.number(),
});

export const wireReservedIp = z.object({
  ip: z.string(),
  region: z.object({ slug: z.string() }),
  droplet: z.object({ id: z.number().int() }).nullish(),
});

export const wireVolume = z.object({
  id: z.string(),
  name: z.string(),
  region: z.object({ slug: z.string() }),
  size_gigabytes: z.number(),
  droplet_ids: z.array(z.number().int()).nullish(),
});

export const wireFirewall = z.object({
  id: z.string(),
  name: z.string(),
  droplet_ids: z.array(z.number().int()).nullish(),
  tags: z.array(z.string()).nullish(),
});

export const wireProject = z.object({ id: z.string(), name: z.string(), is_default: z.boolean().nullish() });

export const wireProjectResource = z.object({ urn: z.string() });

export const wireKernel = z.object({ id: z.number().int(), name: z.string(), version: z.string() });

export const toSize = (size: z.infer<typeof wireSize>): Size => ({
  slug: size.slug,
  priceMonthly: size.price_monthly,
  priceHourly: size.price_hourly,
  regions: size.regions,
  available: size.available,
  diskGb: size.disk,
  memoryMb: size.memory,
  vcpus: size.vcpus,
});

export const toReservedIp = (ip: z.infer<typeof wireReservedIp>): ReservedIp => ({
  ip: ip.ip,
  regionSlug: ip.region.slug,
  dropletId: ip.droplet?.id ?? null,
});

export const toVolume = (volume: z.infer<typeof wireVolume>): Volume => ({
  id: volume.id,
  name: volume.name,
  regionSlug: volume.region.slug,
  sizeGigabytes: volume.size_gigabytes,
  dropletIds: volume.droplet_ids ?? [],
});

export const toFirewall = (firewall: z.infer<typeof wireFirewall>): Firewall => ({
  id: firewall.id,
  name: firewall.name,
  dropletIds: firewall.droplet_ids ?? [],
  tags: firewall.tags ?? [],
});

export const toProject = (project: z.infer<typeof wireProject>): Project => ({
  id: project.id,
  name: project.name,
  isDefault: project.is_default ?? false,
});

export const toProjectResourceUrn = (resource: z.infer<typeof wireProjectResource>): string => resource.urn;

export const toKernel = (kernel: z.infer<typeof wireKernel>): Kernel => ({
  id: kernel.id,
  name: kernel.name,
  version: kernel.version,
});
