/** The audit log on the options page: list (newest first, by kind), export as CSV, verify the chain. */
import { z } from 'zod';
import { AUDIT_KINDS, verifyChain, type AuditEntry, type ChainVerdict } from '../../audit/chain';
import { auditCsv } from '../../audit/csv';
import { getAuditHead, readAuditChain } from '../../store/audit';
import { defineRequest } from '../define';
import { site } from './shared';

export const auditRequests = {
  listAudit: defineRequest({
    schema: z.object({
      type: z.literal('listAudit'),
      site,
      kind: z.enum(AUDIT_KINDS).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ total: number; entries: AuditEntry[] }> {
      await ctx.requireConnection(req.site);
      await ctx.auditIdle();
      const all = (await readAuditChain(await ctx.store(), req.site)).reverse();
      const matching = req.kind ? all.filter((e) => e.kind === req.kind) : all;
      return { total: matching.length, entries: matching.slice(req.offset, req.offset + req.limit) };
    },
  }),

  exportAuditLog: defineRequest({
    schema: z.object({ type: z.literal('exportAuditLog'), site }),
    from: ['page'],
    async handle(req, ctx): Promise<{ fileName: string; text: string }> {
      await ctx.requireConnection(req.site);
      const name = (new URL(req.site).hostname.split('.')[0] ?? 'site').replace(/[^a-z0-9-]+/gi, '-');
      const fileName = `audit-log-${name}-${ctx.today()}.csv`;
      // Logged first, so the file includes its own export.
      await ctx.audit(req.site, 'export', { format: 'audit_log', fileName });
      return { fileName, text: auditCsv(await readAuditChain(await ctx.store(), req.site)) };
    },
  }),

  verifyAuditLog: defineRequest({
    schema: z.object({ type: z.literal('verifyAuditLog'), site }),
    from: ['page'],
    async handle(req, ctx): Promise<ChainVerdict> {
      await ctx.requireConnection(req.site);
      await ctx.auditIdle();
      const s = await ctx.store();
      const [entries, head] = await Promise.all([readAuditChain(s, req.site), getAuditHead(s, req.site)]);
      return verifyChain(entries, head);
    },
  }),
};
