/**
 * Helpers for asserting on the template `serverless package` writes: run the packaging, evaluate
 * conditions, and resolve the intrinsics the rules and environment use (Sub, Ref, Join, If,
 * GetAtt) against fixed pseudo parameters.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface Template {
  Resources: Record<
    string,
    { Type: string; Condition?: string; Properties?: Record<string, unknown>; DependsOn?: unknown }
  >;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export const PSEUDO = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': '111122223333',
  'AWS::Region': 'us-east-1',
  'AWS::StackName': 'q-triage-dev',
  'AWS::URLSuffix': 'amazonaws.com',
} as const;

export class PackagingError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'PackagingError';
  }
}

/** A temporary service folder: the repository's top-level files copied (osls wants a real serverless.yml), its folders linked. */
async function serviceWorkspace(): Promise<string> {
  const workspace = await mkdtemp(path.join(tmpdir(), 'q-triage-service-'));
  const entries = await readdir(REPO_ROOT, { withFileTypes: true });
  await Promise.all(
    entries
      .filter((entry) => !['.git', '.esbuild', '.serverless'].includes(entry.name))
      .map((entry) =>
        entry.isDirectory()
          ? symlink(path.join(REPO_ROOT, entry.name), path.join(workspace, entry.name))
          : copyFile(path.join(REPO_ROOT, entry.name), path.join(workspace, entry.name)),
      ),
  );
  return workspace;
}

/** `npx serverless package` with no AWS credentials in the environment. */
export async function packageStack(params: readonly string[] = []): Promise<Template> {
  return (await packageStackWithArtifacts(params)).template;
}

/** The same packaging, and the folder that holds the template and each function's zip. */
export async function packageStackWithArtifacts(
  params: readonly string[] = [],
): Promise<{ template: Template; artifactDir: string }> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'q-triage-stack-'));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name),
    ),
  );
  // STACK_SERVICE_DIR lets the packaging run on a copy of the service (e.g. while a handler is missing).
  // Otherwise each packaging gets a folder of its own: serverless-esbuild writes .esbuild/ and .serverless/
  // into the service folder, and two packagings there at once (two test files) overwrite each other's zips.
  const workspace = process.env.STACK_SERVICE_DIR === undefined ? await serviceWorkspace() : undefined;
  const serviceDir = process.env.STACK_SERVICE_DIR ?? workspace ?? REPO_ROOT;
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'serverless');
  const args = [
    'package',
    '--package',
    outDir,
    '--stage',
    'dev',
    '--region',
    PSEUDO['AWS::Region'],
    ...params.map((p) => `--param=${p}`),
  ];
  try {
    await promisify(execFile)(bin, args, {
      cwd: serviceDir,
      env: { ...env, SLS_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    // Surface osls's own explanation (e.g. a missing handler file), which execFile keeps in stdout/stderr.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new PackagingError(`serverless package failed in ${serviceDir}:\n${stdout}\n${stderr}`, { cause: error });
  } finally {
    // Removes the links and the build output, never what the links point to (rm does not follow symlinks).
    if (workspace !== undefined) await rm(workspace, { recursive: true, force: true });
  }
  const template = JSON.parse(
    await readFile(path.join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  return { template, artifactDir: outDir };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class UnresolvableError extends Error {
  constructor(what: string) {
    super(`cannot resolve ${what}`);
    this.name = 'UnresolvableError';
  }
}

export function evaluateCondition(template: Template, expression: unknown): boolean {
  if (!isObject(expression)) throw new UnresolvableError(`condition ${JSON.stringify(expression)}`);
  const [fn, args] = Object.entries(expression)[0] ?? [];
  const list = Array.isArray(args) ? args : [];
  switch (fn) {
    case 'Condition':
      return evaluateCondition(template, template.Conditions?.[String(args)]);
    case 'Fn::Equals':
      return JSON.stringify(resolve(template, list[0])) === JSON.stringify(resolve(template, list[1]));
    case 'Fn::Not':
      return !evaluateCondition(template, list[0]);
    case 'Fn::And':
      return list.every((item) => evaluateCondition(template, item));
    case 'Fn::Or':
      return list.some((item) => evaluateCondition(template, item));
    default:
      throw new UnresolvableError(`condition function ${String(fn)}`);
  }
}

export function conditionHolds(template: Template, name: string): boolean {
  return evaluateCondition(template, { Condition: name });
}

const NO_VALUE = Symbol('AWS::NoValue');

function substitute(text: string, template: Template, variables: Record<string, unknown> = {}): string {
  return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
    if (name in variables) return String(resolve(template, variables[name]));
    if (name in PSEUDO) return PSEUDO[name as keyof typeof PSEUDO];
    const [resource, attribute] = name.split('.');
    if (resource !== undefined && template.Resources[resource])
      return attribute ? `<${resource}.${attribute}>` : `<${resource}>`;
    throw new UnresolvableError(`\${${name}}`);
  });
}

/**
 * Resolves intrinsics to plain JSON. Ref and GetAtt of resources become `<Name>` / `<Name.Attr>`
 * placeholders, except that a role with a fixed RoleName resolves to its real ARN.
 */
export function resolve(template: Template, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(template, item)).filter((item) => item !== NO_VALUE);
  if (!isObject(value)) return value;
  const entries = Object.entries(value);
  const [fn, args] = entries[0] ?? [];
  if (entries.length === 1 && fn !== undefined && (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))) {
    const list = Array.isArray(args) ? args : [];
    switch (fn) {
      case 'Ref':
        if (args === 'AWS::NoValue') return NO_VALUE;
        if (typeof args === 'string' && args in PSEUDO) return PSEUDO[args as keyof typeof PSEUDO];
        if (typeof args === 'string' && template.Resources[args]) return `<${args}>`;
        throw new UnresolvableError(`Ref ${String(args)}`);
      case 'Fn::Sub':
        return typeof args === 'string'
          ? substitute(args, template)
          : substitute(String(list[0]), template, isObject(list[1]) ? list[1] : {});
      case 'Fn::Join':
        return (resolve(template, list[1]) as unknown[]).join(String(list[0]));
      case 'Fn::Split':
        return String(resolve(template, list[1])).split(String(list[0]));
      case 'Fn::If': {
        const chosen = resolve(template, conditionHolds(template, String(list[0])) ? list[1] : list[2]);
        return chosen;
      }
      case 'Fn::GetAtt': {
        const [resource, attribute] = Array.isArray(args) ? args.map(String) : String(args).split('.');
        const definition = resource === undefined ? undefined : template.Resources[resource];
        if (!definition) throw new UnresolvableError(`GetAtt ${String(resource)}`);
        const roleName = definition.Type === 'AWS::IAM::Role' ? definition.Properties?.RoleName : undefined;
        if (attribute === 'Arn' && roleName !== undefined) {
          return `arn:${PSEUDO['AWS::Partition']}:iam::${PSEUDO['AWS::AccountId']}:role/${String(resolve(template, roleName))}`;
        }
        return `<${resource}.${attribute}>`;
      }
      default:
        throw new UnresolvableError(fn);
    }
  }
  return Object.fromEntries(
    entries.map(([key, item]) => [key, resolve(template, item)] as const).filter(([, item]) => item !== NO_VALUE),
  );
}

export function resourcesOfType(
  template: Template,
  type: string,
): [string, NonNullable<Template['Resources'][string]>][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** Present in the deployed stack: no Condition, or its Condition holds. */
export function isDeployed(template: Template, resource: { Condition?: string }): boolean {
  return resource.Condition === undefined || conditionHolds(template, resource.Condition);
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Sid?: string;
}

export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
