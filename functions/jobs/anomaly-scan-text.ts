import type { AnomalyScanResult } from './detect.js';
import { renderDetect } from './detect-text.js';
import { renderJobMessages } from './job-messages-text.js';

/** The hourly scan, as a person reads it: its findings, then the pages it sent or wrote. */
export function renderAnomalyScan(result: AnomalyScanResult): string {
  const pages = renderJobMessages(result.pages);
  return pages === '' ? renderDetect(result) : `${renderDetect(result)}\n\n${pages}`;
}
