import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../paths.js';

/**
 * The scheduled jobs, declared once in terraform/jobs.json: Terraform reads the file with jsondecode(file(...)) to
 * make one function and one Cloud Scheduler job per entry, the functions register one HTTP entry point per entry,
 * and `ai-finops schedules` compares what is deployed against it, so nobody parses HCL at run time and the three
 * cannot drift apart. Names, functions and schedules are CONTRACT.md's.
 */

export interface DeclaredJob {
  /** The job as the CLI names it (`anomaly-scan`); the key of functions/jobs/registry.ts. */
  name: string;
  /** The HTTP entry point registered with the functions framework: the camelCase of the name (`anomalyScan`). */
  function: string;
  /** Cron, read in `timeZone`. */
  schedule: string;
  timeZone: string;
  description: string;
  /** The id shared by the Cloud Function and its Cloud Scheduler job: `ai-finops-anomaly-scan`. */
  resourceId: string;
}

/** The whole file: the prefix of every resource id, and the jobs. */
export interface JobDeclaration {
  namePrefix: string;
  jobs: DeclaredJob[];
}

export const jobsFile = join(packageRoot, 'terraform', 'jobs.json');

/** Five cron fields, as Cloud Scheduler takes them (unix-cron). */
const cron = /^\S+( \S+){4}$/;

const fileSchema = z.strictObject({
  name_prefix: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'up to 20 lowercase letters, digits and dashes, starting with a letter (service account ids add "-scheduler" and stop at 30)'),
  time_zone: z.string().min(1),
  jobs: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, 'a job name as the CLI spells it'),
    z.strictObject({
      function: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a camelCase function name'),
      schedule: z.string().regex(cron, 'five cron fields, e.g. "0 2 * * *"'),
      description: z.string().min(1),
    }),
  ),
});

/**
 * Parses the declaration.
 * @throws ConfigError naming the key and the fix when the file is not valid.
 */
export function parseDeclaredJobs(text: string, source: string): JobDeclaration {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${source} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new ConfigError(`${source} is not a valid job declaration:\n  ${problems.join('\n  ')}`);
  }
  const { name_prefix: prefix, time_zone: timeZone, jobs } = parsed.data;
  return {
    namePrefix: prefix,
    jobs: Object.entries(jobs).map(([name, job]) => ({
      name,
      function: job.function,
      schedule: job.schedule,
      timeZone,
      description: job.description,
      resourceId: `${prefix}-${name}`,
    })),
  };
}

/** The declaration shipped with the project (terraform/jobs.json). */
export function declaredJobs(): JobDeclaration {
  return parseDeclaredJobs(readFileSync(jobsFile, 'utf8'), jobsFile);
}
