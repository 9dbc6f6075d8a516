/** Architecture texts the protocol tests share. */

/** The shop of the former extension-host test: an unknown reference and a missing health check. */
export const SHOP = `archlint: 1
components:
  edge:
    kind: load-balancer
    entry: true
    replicas: 2
    routes-to: [web]
    health-check: { path: /h }
  web:
    kind: service
    replicas: 3 # three of them
    depends-on: [dbb]
  db: { kind: database, replicas: 2, health-check: { path: /h }, failover: { mode: automatic, standby: hot } }
`;
