/**
 * Limits on JSON request bodies, applied to every /api route before any handler sees the body:
 * the size follows from the attachment limits (domain/citizen.ts), the nesting depth is capped
 * (recursive code such as the request fingerprint would otherwise overflow the stack: a 500).
 */
import express, { type RequestHandler } from 'express';
import { MAX_JSON_BODY_BYTES } from '../domain/citizen.js';
import { ApiError } from './errors.js';

/** Far beyond any body of this API (the deepest is four levels), far below any stack limit. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests objects/arrays deeper than `max` levels (iterative: no recursion). */
export function exceedsJsonDepth(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** express.json with the derived size limit, followed by the depth check. */
export function jsonBody(): RequestHandler[] {
  return [
    express.json({ limit: MAX_JSON_BODY_BYTES, strict: true, type: ['application/json', 'application/*+json'] }),
    (req, _res, next) => {
      if (exceedsJsonDepth(req.body, MAX_JSON_DEPTH)) {
        throw new ApiError('validation', `Struktur JSON terlalu dalam (maksimal ${MAX_JSON_DEPTH} tingkat).`);
      }
      next();
    },
  ];
}
