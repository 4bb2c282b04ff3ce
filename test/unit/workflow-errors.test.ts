/** How Temporal's answers to an action's Update become HTTP problems (api/case-actions.ts). */
import { describe, expect, it } from 'vitest';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { mapWorkflowError } from '../../api/case-actions.js';
import { ApiError } from '../../api/errors.js';
import { ACTION_FORBIDDEN, ACTION_REJECTED } from '../../workflows/messages.js';

const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

describe('mapWorkflowError', () => {
  it('maps the workflow refusals to 409 and 403 with the workflow\'s Indonesian message', () => {
    const rejected = mapWorkflowError(new WorkflowUpdateFailedError('failed', ApplicationFailure.create({ type: ACTION_REJECTED, message: 'Salah langkah.' })));
    expect(rejected).toBeInstanceOf(ApiError);
    expect((rejected as ApiError).status).toBe(409);
    expect((rejected as ApiError).detail).toBe('Salah langkah.');
    const forbidden = mapWorkflowError(new WorkflowUpdateFailedError('failed', ApplicationFailure.create({ type: ACTION_FORBIDDEN, message: 'Bukan peran Anda.' })));
    expect((forbidden as ApiError).status).toBe(403);
  });

  it('answers 503 with Retry-After when the Update did not get through (unavailable, deadline, aborted, a workflow task being retried, RPC timeout)', () => {
    for (const code of [1, 4, 8, 10, 14]) {
      const mapped = mapWorkflowError(new ServiceError('Workflow Update failed', { cause: grpcError(code, 'update rolled back') }));
      expect(mapped, `gRPC ${code}`).toBeInstanceOf(ApiError);
      expect((mapped as ApiError).status).toBe(503);
      expect((mapped as ApiError).extra.headers).toEqual({ 'Retry-After': '5' });
    }
    // A workflow task being retried after its worker was killed (seen in the worker-SIGKILL fault run).
    const retrying = mapWorkflowError(new ServiceError('Workflow Update failed', { cause: grpcError(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.') }));
    expect((retrying as ApiError).status).toBe(503);
    const timedOut = mapWorkflowError(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'));
    expect((timedOut as ApiError).status).toBe(503);
  });

  it('leaves other service errors to the error middleware (500): a bug is not hidden as a retry', () => {
    for (const cause of [grpcError(3, 'invalid argument'), grpcError(9, 'some other precondition')]) {
      const e = new ServiceError('Workflow Update failed', { cause });
      expect(mapWorkflowError(e)).toBe(e);
    }
  });
});
