[package]
name = "scai_infra"
edition = "v0.12.3"
version = "0.1.0"
description = "KCL library behind the scai XInfrastructure compositions (one entry per strategy x cloud)."
