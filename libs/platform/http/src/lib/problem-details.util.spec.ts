import {
  BadRequestException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import type { ValidationError } from 'class-validator';

import {
  ClinicallyInvalidError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  TooLargeError,
} from '@implant-trace/domain-kernel';

import { fieldErrorsOf, problemFromError } from './problem-details.util';

describe('problemFromError', () => {
  it('keeps the detail of client errors', () => {
    expect(problemFromError(new NotFoundException('No implant i1'))).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No implant i1',
    });
    expect(problemFromError(new BadRequestException('Unexpected token'))).toMatchObject({
      status: 400,
      detail: 'Unexpected token',
    });
  });

  it('never leaks the message of a server error or an unknown throw', () => {
    for (const error of [
      new InternalServerErrorException('pg: password=x'),
      new Error('secret path /srv/app'),
    ]) {
      const problem = problemFromError(error);
      expect(problem.status).toBe(500);
      expect(JSON.stringify(problem)).not.toMatch(/password|srv/);
    }
  });

  it('maps an exposed body-parser error (too large) to its status', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(problemFromError(tooLarge)).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('carries the fields of a clinically invalid request', () => {
    expect(
      problemFromError(
        new ClinicallyInvalidError('The request is clinically invalid', [
          { field: 'patient.nhsNumber', message: 'check digit fails' },
        ]),
      ),
    ).toEqual({
      type: 'urn:implant-trace:problem:clinically-invalid',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The request is clinically invalid',
      errors: [{ field: 'patient.nhsNumber', message: 'check digit fails' }],
    });
  });
});

describe('problemFromError for the domain errors use cases throw', () => {
  it.each([
    [new InvalidInputError('bad cursor'), 400, 'urn:implant-trace:problem:validation-failed'],
    [new NotFoundError('No device d1'), 404, 'about:blank'],
    [new ConflictError('claimed'), 409, 'about:blank'],
    [new TooLargeError('too big'), 413, 'about:blank'],
    [
      new ClinicallyInvalidError('check digit'),
      422,
      'urn:implant-trace:problem:clinically-invalid',
    ],
  ])(
    'answers %p with %i and its message, without errors[] when no field failed',
    (error, status, type) => {
      expect(problemFromError(error)).toEqual({
        type,
        title: expect.any(String),
        status,
        detail: error.message,
      });
    },
  );

  it('uses the problem type a domain error names for itself', () => {
    class IdentifierClaimed extends ConflictError {
      override readonly problemType = 'urn:implant-trace:problem:device-identifier-conflict';
    }
    expect(
      problemFromError(
        new IdentifierClaimed('An identifier already belongs to another device', [
          { field: 'identifiers[0].deviceIdentifier', message: 'already identifies d1' },
        ]),
      ),
    ).toMatchObject({
      type: 'urn:implant-trace:problem:device-identifier-conflict',
      status: 409,
      errors: [{ field: 'identifiers[0].deviceIdentifier', message: 'already identifies d1' }],
    });
  });
});

describe('fieldErrorsOf', () => {
  it('names a nested object that is not an object once, by its own message', () => {
    const errors = [
      {
        property: 'labelCarries',
        constraints: {
          isObject: 'labelCarries is required and must be an object',
          nestedValidation: 'nested property labelCarries must be either object or array',
        },
        children: [],
      },
      {
        property: 'items',
        children: [
          {
            property: '1',
            constraints: {
              nestedValidation: 'each value in nested property items must be an object',
            },
          },
        ],
      },
    ] as ValidationError[];
    expect(fieldErrorsOf(errors)).toEqual([
      { field: 'labelCarries', message: 'labelCarries is required and must be an object' },
      { field: 'items[1]', message: 'each value in nested property items must be an object' },
    ]);
  });

  it('lists every failing field with its nested path', () => {
    const errors = [
      { property: 'barcode', constraints: { isString: 'barcode must be a string' }, children: [] },
      {
        property: 'identifiers',
        children: [
          {
            property: '0',
            children: [
              { property: 'type', constraints: { isIn: 'type must be one of ...' }, children: [] },
            ],
          },
        ],
      },
      {
        property: 'extra',
        constraints: { whitelistValidation: 'property extra should not exist' },
      },
    ] as ValidationError[];
    expect(fieldErrorsOf(errors)).toEqual([
      { field: 'barcode', message: 'barcode must be a string' },
      { field: 'identifiers[0].type', message: 'type must be one of ...' },
      { field: 'extra', message: 'property should not exist' },
    ]);
  });
});
