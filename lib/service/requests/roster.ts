/** The HR roster (global: every site is matched against it) and the review settings. */
import { z } from 'zod';
import { activitySettingsSchema } from '../../activity/settings';
import { personSchema } from '../../model-schema';
import { packedPersonSchema, unpackPerson } from '../../roster/wire';
import type { Person, RosterMeta } from '../../model';
import { foldForSearch } from '../../search-fold';
import { updateConnection } from '../../store/connections';
import { getRosterMeta, replaceRoster } from '../../store/roster';
import { getCadence, getSettings, putCadence, putSettings } from '../../store/settings';
import { defineRequest } from '../define';
import { UserError } from '../errors';
import { site } from './shared';

export interface PeoplePage {
  meta: RosterMeta | null;
  /** People matching the search. */
  total: number;
  people: Person[];
}

export const rosterRequests = {
  /**
   * Pages through the roster for "Link to person": `first` ids (the account's name-tie
   * candidates) come first, then the matches by name in file order. The roster never travels to a
   * page whole.
   */
  searchPeople: defineRequest({
    schema: z.object({
      type: z.literal('searchPeople'),
      search: z.string().max(320),
      first: z.array(z.string().max(400)).max(50).default([]),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<PeoplePage> {
      const roster = await ctx.reviews.roster();
      const needle = foldForSearch(req.search);
      const first = new Set(req.first);
      const hits = (p: Person) =>
        needle === '' || foldForSearch([p.name, p.workEmail ?? '', ...p.altEmails].join('\n')).includes(needle);
      const matching = [
        ...req.first.map((id) => roster.index.byId.get(id)).filter((p): p is Person => p !== undefined && hits(p)),
        ...roster.people.filter((p) => !first.has(p.id) && hits(p)),
      ];
      const meta = await getRosterMeta(await ctx.store());
      return { meta, total: matching.length, people: matching.slice(req.offset, req.offset + req.limit) };
    },
  }),

  importRoster: defineRequest({
    schema: z.object({
      type: z.literal('importRoster'),
      fileName: z.string().max(500),
      /** The people as objects, or (as the options page sends them, a third smaller) packed. */
      people: z.array(personSchema).max(500_000).optional(),
      packedPeople: z.array(packedPersonSchema).max(500_000).optional(),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ meta: RosterMeta }> {
      if ((req.people === undefined) === (req.packedPeople === undefined)) {
        throw new UserError('An import carries its people either as people or as packedPeople (exactly one).');
      }
      const people = req.people ?? (req.packedPeople ?? []).map(unpackPerson);
      const ids = new Set<string>();
      for (const p of people) {
        if (ids.has(p.id)) throw new UserError(`The roster has two people with the id ${p.id} (row ${p.row}); fix the file and import again.`);
        ids.add(p.id);
      }
      const meta = { fileName: req.fileName, importedAt: ctx.nowIso(), people: people.length };
      await replaceRoster(await ctx.store(), people, meta);
      await ctx.audit(null, 'roster_import', { fileName: meta.fileName, people: meta.people, importedAt: meta.importedAt });
      ctx.reviews.rosterChanged();
      ctx.changed(null);
      return { meta };
    },
  }),

  saveSettings: defineRequest({
    schema: z.object({
      type: z.literal('saveSettings'),
      site: site.optional(),
      syncIntervalHours: z.number().min(1).max(24 * 30).optional(),
      graceDays: z.number().int().min(0).max(365).optional(),
      dormantDays: activitySettingsSchema.shape.dormantDays.unwrap().optional(),
      reviewEveryDays: z.number().int().min(1).max(3650).optional(),
      remediationDueDays: z.number().int().min(1).max(365).optional(),
    }),
    from: ['page'],
    async handle(req, ctx): Promise<{ ok: true }> {
      const s = await ctx.store();
      // Check everything before changing anything: a bad request changes nothing.
      if (req.syncIntervalHours !== undefined && !req.site) throw new UserError('Say which site the sync interval is for.');
      const conn = req.site ? await ctx.requireConnection(req.site) : null;
      if (req.graceDays !== undefined || req.dormantDays !== undefined) {
        const current = await getSettings(s);
        await putSettings(s, { ...current, graceDays: req.graceDays ?? current.graceDays, dormantDays: req.dormantDays ?? current.dormantDays });
        ctx.reviews.settingsChanged();
      }
      if (req.reviewEveryDays !== undefined || req.remediationDueDays !== undefined) {
        const cadence = await getCadence(s);
        await putCadence(s, {
          reviewEveryDays: req.reviewEveryDays ?? cadence.reviewEveryDays,
          remediationDueDays: req.remediationDueDays ?? cadence.remediationDueDays,
        });
      }
      if (req.syncIntervalHours !== undefined && conn) {
        const hours = req.syncIntervalHours;
        await updateConnection(s, conn.site, (c) => ({ ...c, syncIntervalHours: hours }));
        if (conn.status === 'connected') await ctx.platform.scheduleSync(conn.site, hours);
      }
      ctx.changed(req.site ?? null);
      return { ok: true };
    },
  }),
};

