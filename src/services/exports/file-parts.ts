/**
 * An export's finished file in the database, in parts (export_file_parts, migration 024): written
 * from the file on disk one part at a time and read back the same way, so neither the worker nor
 * a web process holds more of a file than one part. As one bytea the 75.6 MB roster of 1,000,000
 * persons was held twice by the worker (its Buffer and pg's serialised message), and the 6,000,000
 * persons of a province (~450 MB) would come near bytea's 1 GB limit.
 */
import { createReadStream } from 'node:fs';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** 4 MiB: a part is one round trip; 19 parts for the 1,000,000-person roster. */
export const PART_BYTES = 4 * 1024 * 1024;

/** Stores `file` as the parts of `job`, in the caller's transaction (the job's success commits with them). */
export async function storeFileParts(sequelize: Sequelize, job: { id: number; org_path: string }, file: string, transaction: Transaction, partBytes = PART_BYTES): Promise<number> {
  await sequelize.query('DELETE FROM export_file_parts WHERE job_id = $job', { bind: { job: job.id }, transaction });
  let part = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: partBytes })) {
    // A bind parameter: sent as bytes. A replacement would inline it as a hex literal (twice its size as a string).
    await sequelize.query('INSERT INTO export_file_parts (job_id, part, org_path, bytes) VALUES ($job, $part, $path, $bytes)',
      { bind: { job: job.id, part, path: job.org_path, bytes: chunk as Buffer }, transaction });
    part++;
  }
  return part;
}

/** The parts of a job's file in order, one query each; row-level security applies to every part as to its job. */
export async function* readFileParts(sequelize: Sequelize, jobId: number): AsyncGenerator<Buffer> {
  for (let part = 0; ; part++) {
    const [row] = await sequelize.query<{ bytes: Buffer }>('SELECT bytes FROM export_file_parts WHERE job_id = $job AND part = $part',
      { bind: { job: jobId, part }, type: QueryTypes.SELECT });
    if (!row) return;
    yield row.bytes;
  }
}

/** Whether a job has a stored file (its first part). */
export async function hasFileParts(sequelize: Sequelize, jobId: number): Promise<boolean> {
  const [row] = await sequelize.query('SELECT 1 FROM export_file_parts WHERE job_id = $job AND part = 0', { bind: { job: jobId }, type: QueryTypes.SELECT });
  return !!row;
}
