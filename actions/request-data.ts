/** Reading a custom action's request: the method, and typed fields of its body. */
import type { ActionContext, ActionRequest } from 'adminjs';
import type { Sequelize } from 'sequelize';
import type { ScopedResource } from '../src/admin/scoped-resource.js';

export const isPost = (request: ActionRequest) => request.method?.toLowerCase() === 'post';

export function bodyOf(request: ActionRequest): Record<string, unknown> {
  return (request.payload ?? {}) as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, key: string, max = 500): string {
  const v = body[key];
  return typeof v === 'string' ? v.trim().slice(0, max) : typeof v === 'number' ? String(v) : '';
}

/** Arrays arrive as JSON arrays or as form fields `key.0`, `key.1` … */
export function arrayField(body: Record<string, unknown>, key: string): unknown[] {
  const v = body[key];
  if (Array.isArray(v)) return v;
  const indexed = Object.keys(body).filter((k) => k.startsWith(`${key}.`)).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return indexed.map((k) => body[k]);
}

/** The database of an action's context (its resource's). */
export function sequelizeOf(context: ActionContext): Sequelize {
  return (context.resource as unknown as ScopedResource).model.sequelize!;
}
