import { Inject, Injectable } from '@nestjs/common';

import type { DeviceRecord } from '@implant-trace/device-registry-domain';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  freeTextQuery,
  InvalidDeviceSearchError,
  SEARCH_LIMIT_DEFAULT,
} from '@implant-trace/device-registry-domain';

import { DeviceCatalogueRepository } from '../catalogue/device-catalogue.repository';
import type { SearchDevicesDto } from './search-devices.dto';

export interface DevicePage {
  items: DeviceRecord[];
  nextCursor: string | null;
}

@Injectable()
export class SearchDevicesUseCase {
  constructor(
    @Inject(DeviceCatalogueRepository) private readonly catalogue: DeviceCatalogueRepository,
  ) {}

  async execute(query: SearchDevicesDto): Promise<DevicePage> {
    const problems: { field: string; message: string }[] = [];
    const afterDeviceId = query.cursor === undefined ? undefined : decodeSearchCursor(query.cursor);
    if (query.cursor !== undefined && afterDeviceId === undefined) {
      problems.push({ field: 'cursor', message: 'is not a cursor this service issued' });
    }
    const textQuery = query.q === undefined ? undefined : freeTextQuery(query.q);
    if (query.q !== undefined && textQuery === undefined) {
      problems.push({ field: 'q', message: 'holds no letters or digits to search for' });
    }
    if (problems.length > 0) throw new InvalidDeviceSearchError(problems);
    const limit = query.limit ?? SEARCH_LIMIT_DEFAULT;
    // One row more than the page tells whether another page exists without a count.
    const rows = await this.catalogue.search({
      ...(query.manufacturer === undefined ? {} : { manufacturer: query.manufacturer }),
      ...(query.catalogNumber === undefined ? {} : { catalogNumber: query.catalogNumber }),
      ...(textQuery === undefined ? {} : { textQuery }),
      ...(afterDeviceId === undefined ? {} : { afterDeviceId }),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last !== undefined ? encodeSearchCursor(last.deviceId) : null,
    };
  }
}
