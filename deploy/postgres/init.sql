-- Run once by the postgres image on an empty data volume: MLflow's store beside Medic's.
CREATE DATABASE mlflow OWNER medic;
