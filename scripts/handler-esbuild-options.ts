import type { BuildOptions } from 'esbuild';
import { HANDLER_BUNDLING } from '../lib/handler-bundling';

/**
 * `HANDLER_BUNDLING` as esbuild's own options: the flags `NodejsFunction` passes to the same esbuild
 * (`--bundle --platform=node --format=esm --minify --sourcemap --keep-names ...`). The package's
 * pre-built bundles (`npm run build`) and the bench's bundles are made with these, so that they are
 * the bundles a clone's `cdk synth` makes.
 */
export function handlerEsbuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: HANDLER_BUNDLING.target,
    format: 'esm',
    minify: HANDLER_BUNDLING.minify,
    // `linked`: the `.map` beside the bundle and a `sourceMappingURL` comment in it, as `--sourcemap` does.
    sourcemap: HANDLER_BUNDLING.sourceMap ? 'linked' : false,
    sourcesContent: HANDLER_BUNDLING.sourcesContent,
    mainFields: HANDLER_BUNDLING.mainFields,
    banner: HANDLER_BUNDLING.banner ? { js: HANDLER_BUNDLING.banner } : undefined,
    external: HANDLER_BUNDLING.externalModules,
    keepNames: HANDLER_BUNDLING.keepNames,
    logLevel: 'warning',
  };
}
