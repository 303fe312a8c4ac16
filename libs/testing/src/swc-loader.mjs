// Node module hooks that run the TypeScript sources as they are (no build): SWC compiles each
// .ts file with decorator metadata, which NestJS needs and tsx/esbuild cannot emit, and the
// tsconfig path aliases (@bridgefleet/<lib>/…) resolve to libs/<lib>/src. Used by
// control-plane-process.ts to run a control plane as a child process that a test can SIGKILL.
import { existsSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = new URL('../../../', import.meta.url);
const ALIAS = /^@bridgefleet\/(contracts|policy|db|runbooks|testing)\/(.+)$/;

if (!globalThis.__bfSwcHooksRegistered) {
  globalThis.__bfSwcHooksRegistered = true;
  register(import.meta.url, import.meta.url);
}

let swc;

export async function resolve(specifier, context, nextResolve) {
  const alias = ALIAS.exec(specifier);
  if (alias) specifier = new URL(`libs/${alias[1]}/src/${alias[2]}`, ROOT).href;
  const fromSource = context.parentURL?.startsWith(ROOT.href) && !context.parentURL.includes('/node_modules/');
  if ((alias || fromSource) && /\.js$/.test(specifier) && (alias || specifier.startsWith('.') || specifier.startsWith('file:'))) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL ?? ROOT);
    const asJs = new URL(specifier, context.parentURL ?? ROOT);
    if (!existsSync(fileURLToPath(asJs)) && existsSync(fileURLToPath(candidate))) {
      return { url: candidate.href, shortCircuit: true, format: 'module' };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  swc ??= await import(pathToFileURL(fileURLToPath(new URL('node_modules/@swc/core/index.js', ROOT))).href);
  const filename = fileURLToPath(url);
  const { code } = await swc.transform(readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'es6' },
    jsc: {
      target: 'es2022',
      keepClassNames: true,
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
