declare module 'express-formidable' {
  import type { RequestHandler } from 'express';
  export default function formidable(options?: Record<string, unknown>): RequestHandler;
}

/** formidable 1.x (no published types for that line): what src/admin/request-body.ts uses. */
declare module 'formidable' {
  import type { IncomingMessage } from 'node:http';
  import type { EventEmitter } from 'node:events';
  interface Part extends EventEmitter { name: string; filename?: string; mime?: string }
  interface File { path: string; name: string; type: string; size: number }
  class IncomingForm extends EventEmitter {
    constructor(opts?: { uploadDir?: string; maxFileSize?: number; maxFieldsSize?: number; maxFields?: number });
    openedFiles: File[];
    onPart(part: Part): void;
    handlePart(part: Part): void;
    parse(req: IncomingMessage, cb: (err: Error | null, fields: Record<string, unknown>, files: Record<string, File>) => void): this;
  }
  const formidable: { IncomingForm: typeof IncomingForm };
  export default formidable;
}
