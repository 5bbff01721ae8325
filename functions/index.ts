import { http } from '@google-cloud/functions-framework';
import { ingestHandler } from './http/ingest-handler.js';
import { jobHandler } from './http/job-handler.js';
import { declaredJobs } from './scheduler/declared-jobs.js';

// The deployed functions (package.json "main"): one HTTP entry point per scheduled job of terraform/jobs.json.
for (const job of declaredJobs().jobs) http(job.function, jobHandler(job.name));

// The push function for call records (no schedule): gateways and apps POST batches to it.
http('ingest', ingestHandler());
