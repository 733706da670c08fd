import { existsSync } from 'node:fs';
import path from 'node:path';
import type { IConstruct } from 'constructs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
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

/** The Lambda runtime every handler runs on. */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** esbuild's target for that runtime. */
export const BUNDLE_TARGET = 'node24';

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
  // Class and function names stay as written: an error's `name` (in logs, in the ledger, in events)
  // must not become a minifier's single letter, whatever the class declares.
  keepNames: true,
  forceDockerBundling: false,
  // Sizes are measured by `npm run bench`; synth output stays quiet unless esbuild warns.
  logLevel: lambdaNodejs.LogLevel.WARNING,
};

/** Where a handler's code comes from. */
export type HandlerSource =
  /** A clone: the TypeScript entry, bundled by `NodejsFunction` with the local esbuild at synth. */
  | { readonly kind: 'typescript'; readonly entry: string }
  /**
   * The installed package: the bundle `npm run build` made at package time (`dist/handlers/<name>/`,
   * `index.mjs` and its source map), used as it is, so that a user's synth needs neither esbuild nor Docker.
   */
  | { readonly kind: 'prebuilt'; readonly directory: string };

/** The file of a pre-built bundle inside its directory; the Lambda handler is `index.handler`. */
export const PREBUILT_BUNDLE_FILE = 'index.mjs';

/**
 * The TypeScript entry in a clone (this file is `lib/handler-bundling.ts`), else the pre-built bundle
 * beside the compiled library (this file is `dist/lib/handler-bundling.js`, the bundles are in
 * `dist/handlers/`). A clone always bundles its own source, so a `dist/` left by an earlier build is
 * never deployed by mistake.
 */
export function handlerSource(name: HandlerName, libDirectory: string = __dirname): HandlerSource {
  const entry = handlerEntry(name, libDirectory);
  if (existsSync(entry)) return { kind: 'typescript', entry };
  return { kind: 'prebuilt', directory: prebuiltBundleDirectory(name, libDirectory) };
}

/** The handler's TypeScript entry in a clone: `lambdas/handlers/<name>.ts`. */
export function handlerEntry(name: HandlerName, libDirectory: string = __dirname): string {
  return path.resolve(libDirectory, '..', 'lambdas', 'handlers', `${name}.ts`);
}

/** Where `npm run build` writes a handler's bundle, relative to the compiled library: `dist/handlers/<name>/`. */
export function prebuiltBundleDirectory(name: HandlerName, libDirectory: string = __dirname): string {
  return path.resolve(libDirectory, '..', 'handlers', name);
}

export function isBundlingStubbed(scope: IConstruct): boolean {
  const value: unknown = scope.node.tryGetContext(STUB_BUNDLING_CONTEXT);
  return value === true || value === 'true';
}
