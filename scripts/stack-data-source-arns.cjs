/**
 * osls variable source (`${file(./scripts/stack-data-source-arns.cjs)}` in serverless/roles.yml):
 * one exact data-source ARN per id in the `qbusinessDataSourceIds` parameter. CloudFormation
 * cannot map over a list (Fn::Join takes no intrinsic delimiter), so the list is built here, at
 * package time, with Fn::Sub keeping the account, Region and partition to CloudFormation.
 */
module.exports = async ({ resolveVariable }) => {
  const [applicationId, indexId, ids] = await Promise.all([
    resolveVariable('param:qbusinessApplicationId'),
    resolveVariable('param:qbusinessIndexId'),
    resolveVariable('param:qbusinessDataSourceIds'),
  ]);
  const base = `arn:\${AWS::Partition}:qbusiness:\${AWS::Region}:\${AWS::AccountId}:application/${applicationId}`;
  const dataSources = String(ids)
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0)
    .map((id) => ({ 'Fn::Sub': `${base}/index/${indexId}/data-source/${id}` }));
  return [{ 'Fn::Sub': base }, { 'Fn::Sub': `${base}/index/${indexId}` }, ...dataSources];
};
