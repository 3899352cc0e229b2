"""Decision models (决策模型服务): credit scorecards, anti-fraud rules and credit limits; versioned, explainable, re-computable scores."""
