/**
 * Manifests the CLI, pre-commit, host and server tests share: a Deployment `api` with a readiness
 * probe (`replicas:` on line 6, counting from 1), the load balancer in front of it, and an HPA
 * that gives it three pods.
 */
export const apiDeployment = (replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: ${replicas}
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

export const API_DEPLOYMENT = apiDeployment(1);

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

/** The load balancer in front of `api`: without it, nothing reaches `api` and its one replica is no one's loss. */
export const API_LOAD_BALANCER = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  type: LoadBalancer
  selector:
    app: api
  ports:
    - port: 80
`;
