import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

import { createSchemaDataSource, prepareSchema } from './data-source.factory';
import { inRequestTransaction, UnitOfWork } from './unit-of-work.util';

describe('UnitOfWork against the real PostgreSQL', () => {
  const schema = uniqueName('it_unit_of_work');
  const dataSource = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
  const unitOfWork = new UnitOfWork(dataSource);
  const transactionId = () =>
    unitOfWork.run(async (transaction) => {
      const [row] = (await transaction.query(`SELECT txid_current() AS txid`)) as {
        txid: string;
      }[];
      return row?.txid;
    });

  beforeAll(async () => {
    await dataSource.initialize();
    await prepareSchema(dataSource);
    await dataSource.query(`CREATE TABLE effects (note text NOT NULL)`);
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  it('joins the request transaction: every run inside commits or rolls back with it', async () => {
    await expect(
      inRequestTransaction(dataSource, async () => {
        await unitOfWork.run((transaction) =>
          transaction.query(`INSERT INTO effects VALUES ('rolled back')`),
        );
        await unitOfWork.run((transaction) =>
          transaction.query(`INSERT INTO effects VALUES ('rolled back too')`),
        );
        throw new Error('the request failed after its effects');
      }),
    ).rejects.toThrow('the request failed after its effects');
    await expect(dataSource.query(`SELECT count(*)::int AS n FROM effects`)).resolves.toEqual([
      { n: 0 },
    ]);

    const [inside, again] = await inRequestTransaction(dataSource, async () => [
      await transactionId(),
      await transactionId(),
    ]);
    expect(inside).toBe(again);
  });

  it('opens its own transaction outside a request, and after the request has ended', async () => {
    const outside = [await transactionId(), await transactionId()];
    expect(new Set(outside).size).toBe(2);
    let requestEnded!: () => void;
    const ended = new Promise<void>((resolve) => (requestEnded = resolve));
    let late: Promise<string | undefined> | undefined;
    const during = await inRequestTransaction(dataSource, async () => {
      // Work started in the request's async context that runs on after the request ended.
      late = ended.then(transactionId);
      return transactionId();
    });
    requestEnded();
    await expect(late).resolves.toEqual(expect.any(String));
    expect(await late).not.toBe(during);
  });

  it('takes its connection at first use, so as many requests as the pool, each reading through the pool first, all finish', async () => {
    const small = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema,
      poolSize: 2,
    });
    await small.initialize();
    const smallUnitOfWork = new UnitOfWork(small);
    try {
      const requests = Array.from({ length: 4 }, (_, index) =>
        inRequestTransaction(small, async () => {
          // A read through the pool, as the scan check does before a recording is written.
          await small.query(`SELECT pg_sleep(0.05)`);
          await smallUnitOfWork.run((transaction) =>
            transaction.query(`INSERT INTO effects VALUES ($1)`, [`request ${index}`]),
          );
        }),
      );
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise<'stuck'>((resolve) => {
        timer = setTimeout(() => resolve('stuck'), 10_000);
      });
      await expect(Promise.race([Promise.all(requests).then(() => 'done'), stuck])).resolves.toBe(
        'done',
      );
      clearTimeout(timer);
      await expect(
        dataSource.query(`SELECT count(*)::int AS n FROM effects WHERE note LIKE 'request %'`),
      ).resolves.toEqual([{ n: 4 }]);
    } finally {
      await small.destroy();
    }
  });
});
