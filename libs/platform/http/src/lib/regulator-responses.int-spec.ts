import type { INestApplication } from '@nestjs/common';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';

import type { Role } from '@implant-trace/platform-auth';
import { mintDevelopmentToken, RegulatorFacing, Roles } from '@implant-trace/platform-auth';
import { ProbeServiceConfig, testServiceConfig, uniqueName } from '@implant-trace/platform-testing';

import { PROBLEM_TYPES, ProblemException } from './problem-details.util';
import { createServiceApp } from './service-app.factory';

const secret = 'integration-test-secret-of-at-least-32-chars';
const schema = uniqueName('it_regulator');
const NHS_NUMBER = '9434765919';

/** Bodies that each carry a patient identifier in a way the first check missed. */
const LEAKS: Record<string, unknown> = {
  'as-a-number': { byHospital: [{ ods: 'RXH01', matched: [9434765919] }] },
  'inside-a-string': { notes: [`follow-up booked for ${NHS_NUMBER} at RXH01`] },
  'snake-case-field': { items: [{ implant_id: 'i1', nhs_number: 'withheld?' }] },
  'kebab-case-field': { items: [{ 'local-patient-id': 'L123' }] },
  'capitalised-field': { items: [{ NHSNumber: 'x' }] },
  'patient-list': { byHospital: [{ ods: 'RXH01', patients: [{ ref: 'p1' }] }] },
  'as-a-key': { implantsByPatient: { [NHS_NUMBER]: 2 } },
};

@Controller('v1')
class RegulatorProbeController {
  @Roles('regulator', 'theatre')
  @Get('summaries/:shape')
  summary(@Param('shape') shape: string): unknown {
    return LEAKS[shape] ?? { matched: { implants: 3, patients: 2 } };
  }

  @Roles('regulator', 'theatre')
  @Get('conflicting-implant')
  conflict(): never {
    throw new ProblemException(
      409,
      PROBLEM_TYPES.validation,
      `This device is already live in patient 943 476 5919`,
      [{ field: 'serialNumber', message: `recorded for ${NHS_NUMBER}` }],
    );
  }
}

interface ImportReportProbe {
  rows: number;
  rejections: { line: number; reason: string }[];
}

/** An import report whose rejection quotes a mistyped identifier that passes modulus 11. */
const REPORT: ImportReportProbe = {
  rows: 10,
  rejections: [{ line: 9, reason: `${NHS_NUMBER}: not a valid GTIN (wrong length)` }],
};

@Controller('v1')
class RegulatorFacingProbeController {
  @Roles('regulator')
  @RegulatorFacing()
  @Get('typed-report')
  typed(): ImportReportProbe {
    return REPORT;
  }

  @Roles('regulator')
  @Get('undeclared-report')
  undeclared(): ImportReportProbe {
    return REPORT;
  }
}

@Module({ controllers: [RegulatorProbeController, RegulatorFacingProbeController] })
class RegulatorProbeModule {}

function token(role: Role, ods?: string): Promise<string> {
  return mintDevelopmentToken({
    secret,
    role,
    ...(ods === undefined ? {} : { ods }),
    issuer: 'implant-trace-dev',
    audience: 'implant-trace',
  });
}

describe('responses to regulators, against the real PostgreSQL and Redis', () => {
  let app: INestApplication;
  let baseUrl: string;
  const logLines: string[] = [];
  const withheldLogLines = () =>
    logLines.filter((line) => /patient identifiers withheld from a regulator at \$\./.test(line))
      .length;

  async function get(path: string, role: Role): Promise<Response> {
    const bearer = await token(role, role === 'regulator' ? undefined : 'RXH01');
    return fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  }

  beforeAll(async () => {
    app = await createServiceApp({
      config: testServiceConfig(ProbeServiceConfig, { schema, jwtSecret: secret }),
      imports: [RegulatorProbeModule],
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logLines.push(chunk.toString('utf8'));
          callback();
        },
      }),
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.get(DataSource).query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await app.close();
  });

  it.each(Object.keys(LEAKS))(
    'withholds a body with a patient identifier %s, and logs where it was',
    async (shape) => {
      const withheldBefore = withheldLogLines();
      const answer = await get(`/v1/summaries/${shape}`, 'regulator');
      expect(answer.status).toBe(500);
      const text = await answer.text();
      expect(text).not.toMatch(/943\D?476\D?5919|nhs|patient/i);
      expect(withheldLogLines()).toBe(withheldBefore + 1);
    },
  );

  it('lets counts through to the regulator, and patient data to the theatre', async () => {
    const counts = await get('/v1/summaries/counts', 'regulator');
    expect(counts.status).toBe(200);
    expect(await counts.json()).toEqual({ matched: { implants: 3, patients: 2 } });
    const theatre = await get('/v1/summaries/inside-a-string', 'theatre');
    expect(theatre.status).toBe(200);
  });

  it('withholds an error body holding an NHS number from a regulator, not from the theatre', async () => {
    const regulator = await get('/v1/conflicting-implant', 'regulator');
    expect(regulator.status).toBe(500);
    expect(regulator.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await regulator.text();
    expect(problem).not.toMatch(/943\D?476\D?5919/);
    expect(JSON.parse(problem)).toMatchObject({ status: 500, type: 'about:blank' });
    expect(logLines.join('')).toMatch(
      /withheld from a regulator's error at \$\.detail, \$\.errors\[0\]\.message/,
    );

    const theatre = await get('/v1/conflicting-implant', 'theatre');
    expect(theatre.status).toBe(409);
    expect(await theatre.text()).toContain('943 476 5919');
  });

  it('masks an NHS number in the free text of a regulator-facing route instead of withholding it all', async () => {
    const typed = await get('/v1/typed-report', 'regulator');
    expect(typed.status).toBe(200);
    expect(await typed.json()).toEqual({
      rows: 10,
      rejections: [{ line: 9, reason: '**********: not a valid GTIN (wrong length)' }],
    });
    expect(logLines.join('')).toContain(
      'NHS numbers masked in a regulator-facing response at $.rejections[0].reason',
    );
    expect((await get('/v1/undeclared-report', 'regulator')).status).toBe(500);
  });
});
