import { existsSync } from 'node:fs';
import path from 'node:path';
import type { IConstruct } from 'constructs';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** The three Lambda handlers, one bundle each; the name is also the entry file's base name. */
export const HANDLER_NAMES = ['dispatch', 'initiate', 'reconcile'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/**
 * Context key that replaces every bundle with a tiny inline stub. Only for this package's unit tests:
 * bundling costs about a second per function, and the template is the same but for the asset.
 * A deployed stack never sets it.
 */
export const STUB_BUNDLING_CONTEXT = 'droplet-scheduler:stubBundling';

/** esbuild's target for the Lambda runtime we deploy on (Node.js 22). */
export const BUNDLE_TARGET = 'node22';

/**
 * ESM output so that esbuild can tree-shake the AWS SDK's ES modules; this banner gives the
 * CommonJS dependencies inside the bundle the `require` that ESM lacks.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * How every handler is bundled. The AWS SDK is bundled too rather than taken from the runtime: the
 * version we test is the version we run, and a tree-shaken bundle loads faster than the runtime's
 * full SDK. `bench/suites/bundle.ts` bundles with the same settings.
 */
export const HANDLER_BUNDLING: lambdaNodejs.BundlingOptions = {
  minify: true,
  sourceMap: true,
  sourceMapMode: lambdaNodejs.SourceMapMode.DEFAULT,
  sourcesContent: false,
  target: BUNDLE_TARGET,
  format: lambdaNodejs.OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
  // Sizes are measured by `npm run bench`; synth output stays quiet unless esbuild warns.
  logLevel: lambdaNodejs.LogLevel.WARNING,
};

/**
 * The handler's source: the TypeScript file in a checkout, the compiled JavaScript next to `dist/lib`
 * in an installed package.
 */
export function handlerEntry(name: HandlerName): string {
  const candidates = [
    path.resolve(__dirname, '..', 'lambdas', 'handlers', `${name}.ts`),
    path.resolve(__dirname, '..', 'lambdas', 'handlers', `${name}.js`),
  ];
  return candidates.find((file) => existsSync(file)) ?? (candidates[0] as string);
}

export function isBundlingStubbed(scope: IConstruct): boolean {
  const value: unknown = scope.node.tryGetContext(STUB_BUNDLING_CONTEXT);
  return value === true || value === 'true';
}
