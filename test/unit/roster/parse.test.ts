import { describe, expect, it } from 'vitest';
import { autoMapColumns } from '../../../lib/roster/columns';
import { parseRoster, type ParseRosterOptions } from '../../../lib/roster/parse';

const TODAY = '2025-03-04';
const parse = (text: string, opts: ParseRosterOptions = {}) => parseRoster(text, { today: TODAY, ...opts });

describe('parseRoster: well-formed files', () => {
  it('parses a full roster into people', () => {
    const csv = [
      'Work Email,Full Name,Status,Termination Date,Start Date,Personal Email,Employee Type,Department,Manager',
      'Jane.Doe@Acme.com ,Jane Doe,Active,,2020-01-15,jane@gmail.com; jd@proton.me,Employee,Eng,Sam Boss',
      'bob@acme.com,Bob Roe,Terminated,2025-02-01,2019/06/01,,Contractor,Ops,',
    ].join('\n');
    const r = parse(csv);
    expect(r.errors).toEqual([]);
    expect(r.rowCount).toBe(2);
    expect(r.terminatedCount).toBe(1);
    expect(r.people).toEqual([
      {
        id: 'email:jane.doe@acme.com', name: 'Jane Doe', workEmail: 'jane.doe@acme.com',
        altEmails: ['jane@gmail.com', 'jd@proton.me'], status: 'Active', statusTerminated: false,
        endDate: null, startDate: '2020-01-15', employeeType: 'Employee', department: 'Eng', manager: 'Sam Boss', row: 2,
      },
      {
        id: 'email:bob@acme.com', name: 'Bob Roe', workEmail: 'bob@acme.com', altEmails: [], status: 'Terminated',
        statusTerminated: true, endDate: '2025-02-01', startDate: '2019-06-01', employeeType: 'Contractor',
        department: 'Ops', manager: null, row: 3,
      },
    ]);
  });

  it.each([
    ['First + Last', 'Email,First Name,Last Name\nj@acme.com,Jane,Doe', 'Jane Doe'],
    ['Preferred wins over First', 'Email,First Name,Preferred Name,Last Name\nj@acme.com,Janet,Jane,Doe', 'Jane Doe'],
    ['empty Preferred falls back to First', 'Email,First Name,Preferred Name,Last Name\nj@acme.com,Janet,,Doe', 'Janet Doe'],
    ['whitespace Preferred falls back to First', 'Email,First Name,Preferred Name,Last Name\nj@acme.com,Janet,  ,Doe', 'Janet Doe'],
    ['Full Name wins over parts', 'Email,Full Name,First Name,Last Name\nj@acme.com,Jane Q Doe,Jane,Doe', 'Jane Q Doe'],
    ['empty Full Name falls back to parts', 'Email,Full Name,First Name,Last Name\nj@acme.com,,Jane,Doe', 'Jane Doe'],
    ['Last only', 'Email,Last Name\nj@acme.com,Doe', 'Doe'],
    ['no name at all', 'Email,Last Name\nj@acme.com,', ''],
  ])('name: %s', (_label, csv, name) => {
    const r = parse(csv);
    expect(r.errors).toEqual([]);
    expect(r.people[0]?.name).toBe(name);
  });

  it('gives email-less people name ids, disambiguating namesakes by row', () => {
    const r = parse('Name,Department\nJosé Núñez,Eng\nJose Nunez,Ops\nAnn Lee,Eng');
    expect(r.errors).toEqual([]);
    expect(r.people.map((p) => p.id)).toEqual(['name:jose nunez', 'name:jose nunez#3', 'name:ann lee']);
  });

  it('drops an alternate email equal to the work email and de-duplicates the rest', () => {
    const r = parse('Email,Name,Alternate Emails\nj@acme.com,Jane,"J@acme.com j2@x.io,j2@x.io"');
    expect(r.people[0]?.altEmails).toEqual(['j2@x.io']);
  });

  it('uses the mapping the admin corrected', () => {
    const csv = 'Mail,Who,Gone\nj@acme.com,Jane Doe,2025-01-01';
    const auto = autoMapColumns(['Mail', 'Who', 'Gone']);
    expect(auto.email).toBeNull();
    const r = parse(csv, { mapping: { ...auto, email: 'Mail', name: 'Who', endDate: 'Gone' } });
    expect(r.errors).toEqual([]);
    expect(r.people[0]).toMatchObject({ workEmail: 'j@acme.com', name: 'Jane Doe', endDate: '2025-01-01' });
  });

  it('counts terminated people as of today (status or end date today)', () => {
    const csv = 'Email,Status,End Date\na@x.io,Active,2025-03-04\nb@x.io,Active,2025-03-05\nc@x.io,Left,';
    expect(parse(csv).terminatedCount).toBe(2);
  });
});

describe('parseRoster: malformed and awkward files', () => {
  it.each([
    ['empty file', '', [{ row: 0, column: null, reason: 'The file is empty' }]],
    ['only whitespace and newlines', ' \n\t\n \r\n', [{ row: 0, column: null, reason: 'The file is empty' }]],
    ['only a BOM', '\uFEFF', [{ row: 0, column: null, reason: 'The file is empty' }]],
    ['only a header', 'Email,Name\n', [{ row: 0, column: null, reason: 'The file has a header but no data rows' }]],
    ['header then blank lines', 'Email,Name\n\n,\n  ,  \n', [{ row: 0, column: null, reason: 'The file has a header but no data rows' }]],
    [
      'no email or name column',
      'Badge,Cost Centre\n1,2',
      [{ row: 0, column: null, reason: 'No email or name column found among: Badge, Cost Centre. Map one by hand' }],
    ],
    [
      'duplicate mapped header',
      'Email,Name,Email\na@x.io,A,b@x.io',
      [{ row: 1, column: 'Email', reason: 'Column "Email" appears 2 times (columns 1, 3); rename or remove the extra ones' }],
    ],
    [
      'unterminated quote',
      'Email,Name\na@x.io,"Ann\nb@x.io,Bob\n',
      [{ row: 2, column: null, reason: 'Unterminated quoted field: a cell opens a " that never closes, so the rest of the file is unreadable' }],
    ],
    [
      'text after a closing quote',
      'Email,Name\na@x.io,"Ann" Lee\nb@x.io,Bob',
      [{ row: 2, column: null, reason: 'Malformed quotes: text follows a closing " in the same cell' }],
    ],
    [
      'unterminated quote in the header',
      '"Email,Name\na@x.io,Ann',
      [{ row: 1, column: null, reason: 'Unterminated quoted field: a cell opens a " that never closes, so the rest of the file is unreadable' }],
    ],
    [
      'ragged row: too few values',
      'Email,Name,Status\na@x.io,Ann,Active\nb@x.io,Bob',
      [{ row: 3, column: null, reason: 'Row has 2 values but the header has 3 columns (a missing or extra delimiter or quote?)' }],
    ],
    [
      'ragged row: unquoted comma adds a value',
      'Email,Name\na@x.io,Doe, Ann',
      [{ row: 2, column: null, reason: 'Row has 3 values but the header has 2 columns (a missing or extra delimiter or quote?)' }],
    ],
    [
      'invalid work email',
      'Email,Name\nann.acme.com,Ann\nbob@,Bob\n',
      [
        { row: 2, column: 'Email', reason: 'Invalid email "ann.acme.com"' },
        { row: 3, column: 'Email', reason: 'Invalid email "bob@"' },
      ],
    ],
    [
      'invalid alternate email among valid ones',
      'Email,Name,Secondary Email\na@x.io,Ann,"ok@x.io;not-an-email, also@bad"',
      [
        { row: 2, column: 'Secondary Email', reason: 'Invalid alternate email "not-an-email"' },
        { row: 2, column: 'Secondary Email', reason: 'Invalid alternate email "also@bad"' },
      ],
    ],
    [
      'ambiguous date',
      'Email,End Date\na@x.io,03/04/2025',
      [{ row: 2, column: 'End Date', reason: 'Ambiguous date "03/04/2025": 3 April or March 4 — write it as YYYY-MM-DD' }],
    ],
    [
      '2-digit year',
      'Email,Hire Date\na@x.io,13/04/25',
      [{ row: 2, column: 'Hire Date', reason: '"13/04/25" has a 2-digit year — write it as YYYY-MM-DD' }],
    ],
    ['Feb 30', 'Email,Last Day\na@x.io,2025-02-30', [{ row: 2, column: 'Last Day', reason: '"2025-02-30" is not a calendar date' }]],
    [
      'duplicate work email, case-insensitively, says where it was first',
      'Email,Name\na@x.io,Ann\nb@x.io,Bob\nA@X.IO ,Ann again\na@x.io,Ann thrice',
      [
        { row: 4, column: 'Email', reason: 'Duplicate work email "a@x.io" (first in row 2)' },
        { row: 5, column: 'Email', reason: 'Duplicate work email "a@x.io" (first in row 2)' },
      ],
    ],
    [
      'row with neither name nor email',
      'Email,Name,Department\n,,Eng\na@x.io,Ann,Eng',
      [{ row: 2, column: null, reason: 'Row has neither a name nor a work email' }],
    ],
    [
      'name made only of punctuation counts as no name',
      'Email,Name\n,...',
      [{ row: 2, column: null, reason: 'Row has neither a name nor a work email' }],
    ],
    [
      'very long cell',
      `Email,Name\na@x.io,${'x'.repeat(1001)}`,
      [{ row: 2, column: 'Name', reason: 'Value is longer than 1000 characters' }],
    ],
    [
      'mapping names a column that is not in the file',
      'Email,Name\na@x.io,Ann',
      [{ row: 0, column: 'Gone', reason: 'Column "Gone" (mapped to endDate) is not in the file' }],
      { ...autoMapColumns(['Email', 'Name']), endDate: 'Gone' },
    ],
  ])('%s', (_label, csv, errors, mapping?) => {
    const r = parse(csv, mapping ? { mapping } : {});
    expect(r.errors).toEqual(errors);
  });

  it('collects every error in a file, not just the first, and keeps the valid rows out of the way', () => {
    const csv = [
      'Email,Name,End Date',
      'bad,Ann,2025-01-01',
      'b@x.io,Bob,31/31/2025',
      'c@x.io,Cy,2025-01-01',
      'b@x.io,Bob2,',
    ].join('\n');
    const r = parse(csv);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'Email'],
      [3, 'End Date'],
      [5, 'Email'],
    ]);
    expect(r.people.map((p) => p.workEmail)).toEqual(['c@x.io']);
    expect(r.rowCount).toBe(4);
  });

  it('reports several errors on one row', () => {
    const r = parse('Email,Name,End Date,Start Date\nnope,Ann,2025-02-30,03/04/2025');
    expect(r.errors).toEqual([
      { row: 2, column: 'Email', reason: 'Invalid email "nope"' },
      { row: 2, column: 'End Date', reason: '"2025-02-30" is not a calendar date' },
      { row: 2, column: 'Start Date', reason: 'Ambiguous date "03/04/2025": 3 April or March 4 — write it as YYYY-MM-DD' },
    ]);
  });

  it('BOM + semicolon delimiter (European Excel)', () => {
    const r = parse('\uFEFFE-Mail;Name;Abteilung\r\nann@x.de;"Müller, Ann";Eng\r\n');
    expect(r.errors).toEqual([]);
    expect(r.headers).toEqual(['E-Mail', 'Name', 'Abteilung']);
    expect(r.people[0]).toMatchObject({ workEmail: 'ann@x.de', name: 'Müller, Ann', id: 'email:ann@x.de' });
  });

  it('tab-delimited', () => {
    const r = parse('Work Email\tFull Name\tStatus\nann@x.io\tAnn Lee\tActive\nbob@x.io\tBob, Jr.\tLeft\n');
    expect(r.errors).toEqual([]);
    expect(r.people.map((p) => [p.name, p.statusTerminated])).toEqual([
      ['Ann Lee', false],
      ['Bob, Jr.', true],
    ]);
  });

  it('quoted newline inside a name is one row (whitespace collapsed), and later row numbers count records', () => {
    const r = parse('Email,Name\na@x.io,"Ann\r\n  Lee"\nbad,Bob');
    expect(r.people[0]?.name).toBe('Ann Lee');
    expect(r.errors).toEqual([{ row: 3, column: 'Email', reason: 'Invalid email "bad"' }]);
  });

  it('blank and all-whitespace lines are skipped but still count for row numbers', () => {
    const r = parse('Email,Name\n\na@x.io,Ann\n   \n , \nbad,Bob\n\n');
    expect(r.rowCount).toBe(2);
    expect(r.people[0]?.row).toBe(3);
    expect(r.errors).toEqual([{ row: 6, column: 'Email', reason: 'Invalid email "bad"' }]);
  });

  it('a header after leading blank lines is found, with its real row number', () => {
    const r = parse('\n\nEmail,Name,Email\na@x.io,A,b@x.io');
    expect(r.errors[0]?.row).toBe(3);
  });

  it('an unmapped duplicate header is harmless', () => {
    const r = parse('Email,Name,Notes,Notes\na@x.io,Ann,x,y');
    expect(r.errors).toEqual([]);
    expect(r.people).toHaveLength(1);
  });

  it('trailing empty values beyond the header (trailing delimiters) are fine', () => {
    const r = parse('Email,Name\na@x.io,Ann,,\n');
    expect(r.errors).toEqual([]);
  });

  it('formula-looking names pass through as text (the export escapes them)', () => {
    const r = parse('Email,Name\na@x.io,"=HYPERLINK(""http://evil"",""x"")"\nb@x.io,+1 Bob\nc@x.io,@Cy');
    expect(r.errors).toEqual([]);
    expect(r.people.map((p) => p.name)).toEqual(['=HYPERLINK("http://evil","x")', '+1 Bob', '@Cy']);
  });

  it('Windows-1252 mojibake passes through as text', () => {
    const r = parse('Email,Name\njose@x.io,JosÃ© NÃºÃ±ez');
    expect(r.errors).toEqual([]);
    expect(r.people[0]?.name).toBe('JosÃ© NÃºÃ±ez');
  });

  it('a cell of exactly 1000 characters is accepted', () => {
    const r = parse(`Email,Name\na@x.io,${'x'.repeat(1000)}`);
    expect(r.errors).toEqual([]);
  });

  it('a quote inside an unquoted cell is literal text', () => {
    const r = parse('Email,Name\na@x.io,Ann "JD" Lee');
    expect(r.errors).toEqual([]);
    expect(r.people[0]?.name).toBe('Ann "JD" Lee');
  });

  it('single-column email roster', () => {
    const r = parse('Email\na@x.io\nb@x.io');
    expect(r.errors).toEqual([]);
    expect(r.people.map((p) => p.id)).toEqual(['email:a@x.io', 'email:b@x.io']);
  });

  it('CRLF line endings', () => {
    const r = parse('Email,Name\r\na@x.io,Ann\r\nb@x.io,Bob\r\n');
    expect(r.errors).toEqual([]);
    expect(r.people.map((p) => p.row)).toEqual([2, 3]);
  });

  it('rejects a malformed mapping object at the boundary', () => {
    const bad = { ...autoMapColumns(['Email']), email: 42 } as unknown as ReturnType<typeof autoMapColumns>;
    const r = parse('Email\na@x.io', { mapping: bad });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 0, column: null });
    expect(r.errors[0]?.reason).toMatch(/^Invalid column mapping/);
    expect(r.people).toEqual([]);
  });
});
