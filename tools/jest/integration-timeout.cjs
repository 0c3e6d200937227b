// Integration tests talk to real servers (a broker restart alone takes seconds).
jest.setTimeout(60_000);
