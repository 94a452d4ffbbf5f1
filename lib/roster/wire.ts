/**
 * People as the options page hands them to the background: one array per person, its fields in
 * a fixed order. Chrome carries runtime messages as JSON through the browser process, and the
 * time that takes grows with the bytes (measured in Chromium here: 50,000 people, 15.2 MB with
 * keys → 8.7 MB without, a 1.6 s → 1.0 s round trip), so the keys are left out. Each field keeps
 * personSchema's own check. Pure.
 */
import { z } from 'zod';
import type { Person } from '../model';
import { personSchema } from '../model-schema';

const field = personSchema.shape;

export const packedPersonSchema = z.tuple([
  field.id,
  field.name,
  field.workEmail,
  field.altEmails,
  field.status,
  field.statusTerminated,
  field.endDate,
  field.startDate,
  field.employeeType,
  field.department,
  field.manager,
  field.row,
]);

export type PackedPerson = z.infer<typeof packedPersonSchema>;

export function packPerson(p: Person): PackedPerson {
  return [p.id, p.name, p.workEmail, p.altEmails, p.status, p.statusTerminated, p.endDate, p.startDate, p.employeeType, p.department, p.manager, p.row];
}

export function unpackPerson([id, name, workEmail, altEmails, status, statusTerminated, endDate, startDate, employeeType, department, manager, row]: PackedPerson): Person {
  return { id, name, workEmail, altEmails, status, statusTerminated, endDate, startDate, employeeType, department, manager, row };
}
