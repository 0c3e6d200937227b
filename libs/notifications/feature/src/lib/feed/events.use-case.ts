import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface FeedEventView {
  sequence: number;
  id: string;
  type: string;
  source: string;
  time: string;
  subject: string;
  data: object;
}

/** A hospital's events in sequence order, for a system catching up on what it missed. */
@Injectable()
export class EventsUseCase {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async after(
    hospitalOds: string,
    after: number,
    limit: number,
  ): Promise<{ items: FeedEventView[]; nextCursor: string | null }> {
    const rows = (await this.dataSource.query(
      `SELECT sequence::text AS sequence, event_id, type, source, time, subject, data
         FROM feed_events WHERE hospital_ods = $1 AND sequence > $2
        ORDER BY sequence LIMIT $3`,
      [hospitalOds, after, limit + 1],
    )) as {
      sequence: string;
      event_id: string;
      type: string;
      source: string;
      time: Date;
      subject: string;
      data: object;
    }[];
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({
        sequence: Number(row.sequence),
        id: row.event_id,
        type: row.type,
        source: row.source,
        time: row.time.toISOString(),
        subject: row.subject,
        data: row.data,
      })),
      nextCursor: rows.length > limit ? (page.at(-1)?.sequence ?? null) : null,
    };
  }
}
