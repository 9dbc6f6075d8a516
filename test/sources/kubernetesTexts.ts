/**
 * Manifests the host and server tests share: a Deployment `api` of one replica with a readiness
 * probe (`replicas:` on line 5, counting from 0) and an HPA that gives it three.
 */
export const API_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: example/api:1
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
`;

/** An HPA of `api`: at least three pods. */
export const API_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 3
  maxReplicas: 6
`;
