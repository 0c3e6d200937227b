import type { DynamicModule } from '@nestjs/common';
import { Body, Controller, Inject, Module, Post } from '@nestjs/common';
import { IsIn, IsString } from 'class-validator';

import { Audited, Roles } from '@implant-trace/platform-auth';
import { UnitOfWork } from '@implant-trace/platform-database';

import { Idempotent } from '../lib/idempotent.decorator';

export const PROBE_NHS_NUMBER = '9434765919';

/** What the probe's handlers do after writing their effect. */
export interface ProbeBehaviour {
  /** Never answer: the process is killed while the effect's transaction is open. */
  hangAfterEffect: boolean;
  /** How long a `slow` write holds its transaction open after its effect. */
  slowSeconds?: number;
}
const PROBE_BEHAVIOUR = Symbol('PROBE_BEHAVIOUR');

class ProbeWriteDto {
  @IsString()
  note!: string;

  @IsIn(['succeed', 'fail', 'slow'])
  outcome!: 'succeed' | 'fail' | 'slow';
}

/** The effect table the probe writes; created by the test in the service's schema. */
export const PROBE_WRITES_TABLE = `CREATE TABLE IF NOT EXISTS probe_writes (
  id serial PRIMARY KEY, note text NOT NULL, written_by text NOT NULL)`;

@Controller('v1/probe')
class IdempotentWritesController {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(PROBE_BEHAVIOUR) private readonly behaviour: ProbeBehaviour,
  ) {}

  @Roles('theatre', 'regulator')
  @Idempotent()
  @Post('writes')
  write(@Body() body: ProbeWriteDto): Promise<{ writeId: number; note: string }> {
    return this.effect(body, 'writes');
  }

  /** Answers a regulator with a patient identifier: the answer must be withheld, every time. */
  @Roles('regulator')
  @Idempotent()
  @Post('leaky-writes')
  async leakyWrite(@Body() body: ProbeWriteDto): Promise<unknown> {
    const { writeId } = await this.effect(body, 'leaky-writes');
    return { writeId, patient: { nhsNumber: PROBE_NHS_NUMBER } };
  }

  @Roles('theatre')
  @Idempotent()
  @Audited({
    action: 'probe.patient-write',
    resourceType: 'probe-write',
    resourceIds: (_request, result) => [String((result as { writeId: number }).writeId)],
    patientCount: () => 1,
  })
  @Post('patient-writes')
  async patientWrite(@Body() body: ProbeWriteDto): Promise<unknown> {
    const { writeId } = await this.effect(body, 'patient-writes');
    return { writeId, nhsNumber: PROBE_NHS_NUMBER };
  }

  private effect(body: ProbeWriteDto, route: string): Promise<{ writeId: number; note: string }> {
    return this.unitOfWork.run(async (transaction) => {
      const [row] = (await transaction.query(
        `INSERT INTO probe_writes (note, written_by) VALUES ($1, $2) RETURNING id`,
        [body.note, route],
      )) as { id: number }[];
      if (this.behaviour.hangAfterEffect) await new Promise<never>(() => undefined);
      if (body.outcome === 'fail') throw new Error('the effect failed after its first write');
      if (body.outcome === 'slow') {
        await transaction.query(`SELECT pg_sleep($1)`, [this.behaviour.slowSeconds ?? 0]);
      }
      return { writeId: row?.id ?? -1, note: body.note };
    });
  }
}

@Module({})
export class IdempotentWritesProbeModule {
  static forRoot(behaviour: ProbeBehaviour): DynamicModule {
    return {
      module: IdempotentWritesProbeModule,
      controllers: [IdempotentWritesController],
      providers: [{ provide: PROBE_BEHAVIOUR, useValue: behaviour }],
    };
  }
}
