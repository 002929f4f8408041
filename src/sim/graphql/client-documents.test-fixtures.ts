/**
 * Representative GraphQL documents that public Wiz clients send (see
 * shared/wiz-api/REFERENCE.md for the source keys). Each is GraphQL-tagged so
 * schema.test.ts validates it against schema/wiz.graphql like every other
 * document in the repo. Copied as the clients write them (whitespace aside);
 * where a client document is huge, a trimmed version keeps its shape and says so.
 */

// ---------------------------------------------------------------------------
// XW: demisto/content Packs/Wiz/Integrations/Wiz/Wiz.py (WIZ_VERSION 1.3.2)
// ---------------------------------------------------------------------------

/** XW PULL_ISSUES_QUERY: `issues: issuesV2` alias, sourceRule union fragments, description aliases. */
export const XW_ISSUES_QUERY = /* GraphQL */ `
  query IssuesTable($filterBy: IssueFilters, $first: Int, $after: String, $orderBy: IssueOrder) {
    issues: issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
      nodes {
        id
        sourceRule {
          __typename
          ... on Control {
            id
            name
            controlDescription: description
            resolutionRecommendation
            securitySubCategories {
              title
              category {
                name
                framework {
                  name
                }
              }
            }
          }
          ... on CloudEventRule {
            id
            name
            cloudEventRuleDescription: description
            sourceType
            type
          }
          ... on CloudConfigurationRule {
            id
            name
            cloudConfigurationRuleDescription: description
            remediationInstructions
            serviceType
          }
        }
        type
        createdAt
        updatedAt
        dueAt
        projects {
          id
          name
          slug
          businessUnit
          riskProfile {
            businessImpact
          }
        }
        status
        severity
        entitySnapshot {
          id
          type
          nativeType
          name
          status
          cloudPlatform
          cloudProviderURL
          providerId
          region
          resourceGroupExternalId
          subscriptionExternalId
          subscriptionName
          subscriptionTags
          tags
          externalId
        }
        serviceTickets {
          externalId
          name
          url
        }
        notes {
          id
          createdAt
          updatedAt
          text
          user {
            name
            email
          }
          serviceAccount {
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * XW PULL_ISSUE_WITH_EVIDENCE_PARAM_QUERY. The client's CloudEvent fragment
 * spans ~60 CI/CD and runtime types; this copy keeps the threat-detection
 * fragments whole, and of CloudEventGroupCloudEventResponse everything but the
 * CI/CD scan, admission review and image integrity members of extraDetails.
 */
export const XW_ISSUE_EVIDENCE_QUERY = /* GraphQL */ `
  query IssuesTable($filterBy: IssueFilters, $first: Int, $after: String, $orderBy: IssueOrder) {
    issues: issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
      nodes {
        evidenceQuery
        threatDetectionDetails {
          ...ThreatDetectionDetailsDetections
          ...ThreatDetectionDetailsActorsResources
          ...ThreatDetectionDetailsMainDetection
          ...ThreatDetectionDetailsCloudEventGroups
        }
        type
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }

  fragment ThreatDetectionDetailsDetections on ThreatDetectionIssueDetails {
    detections(first: 500) {
      nodes {
        primaryResource {
          id
          type
          name
          externalId
        }
        actors {
          id
          name
          externalId
          providerUniqueId
          type
        }
        startedAt
        id
        severity
        description(format: MARKDOWN)
        primaryResource {
          region
          cloudAccount {
            id
            name
            externalId
            cloudProvider
          }
        }
        ruleMatch {
          rule {
            id
            name
            securitySubCategories {
              id
              title
              category {
                id
                name
                framework {
                  id
                }
              }
            }
          }
        }
      }
    }
  }

  fragment ThreatDetectionDetailsActorsResources on ThreatDetectionIssueDetails {
    actors {
      id
      name
      externalId
      providerUniqueId
      type
    }
    resources {
      id
      name
      externalId
      providerUniqueId
      type
      nativeType
    }
  }

  fragment ThreatDetectionDetailsMainDetection on ThreatDetectionIssueDetails {
    mainDetection {
      id
      startedAt
      severity
      description(format: MARKDOWN)
      ruleMatch {
        rule {
          id
          name
          origins
        }
      }
    }
  }

  fragment ThreatDetectionDetailsCloudEventGroups on ThreatDetectionIssueDetails {
    cloudEventGroups(first: 500) {
      nodes {
        id
        name
        firstEventAt
        lastEventAt
        status
        kind
        origin
        groupType
        description
        cloudEvents {
          ...CloudEventGroupCloudEventResponse
        }
      }
    }
  }

  fragment CloudEventGroupCloudEventResponse on CloudEvent {
    id
    category
    externalName
    isForeignActorIP
    rawAuditLogRecord
    errorMessage
    timestamp
    origin
    path
    kind
    cloudPlatform
    actor {
      id
      externalId
      name
      type
      email
      userAgent
      accessKeyId
      providerUniqueId
      inactiveInLast90Days
      friendlyName
      hasAdminKubernetesPrivileges
      hasAdminPrivileges
      hasHighKubernetesPrivileges
      hasHighPrivileges
      isExternalCloudAccount
      actingAs {
        id
        name
        friendlyName
        externalId
        providerUniqueId
        type
      }
    }
    actorIP
    actorIPMeta {
      relatedAttackGroupNames
      city
      country
      countryCode
      reputation
      autonomousSystemOrganization
    }
    subjectResource {
      id
      type
      name
      nativeType
      externalId
      providerUniqueId
      region
      cloudAccount {
        id
        name
        externalId
        cloudProvider
      }
      containerService {
        id
        name
        type
        providerUniqueId
      }
      containerServiceGraphEntity {
        id
        name
        type
        providerUniqueId
      }
      kubernetesClusterGraphEntity {
        id
        name
        type
        providerUniqueId
      }
      kubernetesCluster {
        id
        name
        type
        providerUniqueId
      }
      kubernetesNamespaceGraphEntity {
        id
        name
        providerUniqueId
      }
      kubernetesNamespace {
        id
        name
        providerUniqueId
      }
      kubernetesControllerGraphEntity {
        id
        name
        type
        providerUniqueId
      }
      kubernetesController {
        id
        name
        type
        providerUniqueId
      }
      openToAllInternet
    }
    errorCode
    statusDetails {
      errorReason
      providerErrorMessage
      providerErrorCode
    }
    status
    matchedRules {
      rule {
        builtInId
        name
        id
      }
    }
    ...CloudEventExtraDetails
  }

  fragment CloudEventExtraDetails on CloudEvent {
    extraDetails {
      ...CloudEventRuntimeDetails
      ...CloudEventFimDetails
    }
    trigger {
      ...CloudEventSensorRulesMatch
      ...CloudEventAdmissionReviewTriggerDetails
    }
  }

  fragment CloudEventRuntimeDetails on CloudEventRuntimeDetails {
    sensor {
      id
      name
      lastSeenAt
      firstSeenAt
      sensorVersion
      definitionsVersion
      status
      ipAddress
      type
      workload {
        id
        name
        sensorName
      }
      cluster {
        id
        name
        type
      }
    }
    processTree {
      ...CloudEventRuntimeProcessBasicDetails
      userName
      userId
      hash
      executionTime
      stdin
      stdout
      name
      wizResponse
      enforcementResult {
        action
        errorMessage
      }
      containerGraphEntity {
        ...ProcessResourceGraphEntity
        properties
      }
      container {
        id
        name
        externalId
        imageGraphEntity {
          ...ProcessResourceGraphEntity
        }
        image {
          id
          externalId
        }
        podGraphEntity {
          ...ProcessResourceGraphEntity
        }
        pod {
          id
          name
          externalId
          ips
          namespace
          namespaceGraphEntity {
            ...ProcessResourceGraphEntity
          }
        }
        kubernetesControllerGraphEntity {
          ...ProcessResourceGraphEntity
        }
        kubernetesController {
          id
          name
          externalId
          type
        }
        kubernetesClusterGraphEntity {
          ...ProcessResourceGraphEntity
        }
        kubernetesCluster {
          id
          name
          externalId
        }
        serviceAccount
        ecsContainerDetails {
          ecsTask {
            id
            externalId
          }
          ecsTaskGraphEntity {
            ...ProcessResourceGraphEntity
          }
          ecsCluster {
            id
            name
            externalId
          }
          ecsClusterGraphEntity {
            ...ProcessResourceGraphEntity
          }
          ecsService {
            id
            name
            externalId
          }
          ecsServiceGraphEntity {
            ...ProcessResourceGraphEntity
          }
        }
      }
    }
    hostGraphEntity {
      properties
      ...ProcessResourceGraphEntity
    }
    host {
      id
      externalId
      type
      hostname
      kernelVersion
      computeInstanceGroupGraphEntity {
        id
        name
        type
      }
    }
    rawDetails
    runtimeExecutionDataId
    type
    context {
      ... on CloudEventRuntimeTypeFileContext {
        fileName
      }
      ... on CloudEventRuntimeTypeNetworkConnectContext {
        remoteIP
        remotePort
      }
      ... on CloudEventRuntimeTypeDNSQueryContext {
        query
      }
      ... on CloudEventRuntimeTypeProcessStartContext {
        commandLine
      }
      ... on CloudEventRuntimeTypeIMDSQueryContext {
        query
      }
      ... on CloudEventRuntimeTypeChangeDirectoryContext {
        path
      }
    }
  }

  fragment CloudEventRuntimeProcessBasicDetails on CloudEventRuntimeProcess {
    id
    command
    path
    executionTime
  }

  fragment ProcessResourceGraphEntity on GraphEntity {
    id
    name
    type
  }

  fragment CloudEventFimDetails on CloudEventFimDetails {
    previousHash
  }

  fragment CloudEventSensorRulesMatch on CloudEventSensorRulesMatch {
    sensorEngineRules {
      rule {
        id
        name
        description
        MITRETactics
        MITRETechniques
      }
      version
    }
    fileReputationHashMatch {
      name
      md5
      sha1
      sha256
      sampleFirstSeen
      sampleLastSeen
      scannerMatch
      scannerCount
      scannerPercent
      trustFactor
      malwareClassification {
        isGeneric
        type
        platform
        subPlatform
        family
        vulnerability {
          id
        }
      }
    }
    connectivityReputation {
      source {
        ip
        port
      }
      destination {
        ip
        ipReputation
        port
      }
      process {
        ...CloudEventRuntimeProcessBasicDetails
      }
    }
    dnsQueryReputation {
      domain
      domainReputation
      process {
        ...CloudEventRuntimeProcessBasicDetails
      }
    }
  }

  fragment CloudEventAdmissionReviewTriggerDetails on CloudEventAdmissionReview {
    cloudConfigurationRuleMatches {
      cloudConfigurationRule {
        id
      }
      cicdScanPolicies {
        id
        name
        params {
          __typename
        }
      }
    }
  }
`;

/** XW PULL_ISSUE_EVIDENCE_QUERY: graphSearch fed with issue.evidenceQuery. */
export const XW_GRAPH_SEARCH_EVIDENCE_QUERY = /* GraphQL */ `
  query GraphSearch(
    $query: GraphEntityQueryInput
    $controlId: ID
    $projectId: String!
    $first: Int
    $after: String
    $fetchTotalCount: Boolean!
    $quick: Boolean = true
    $fetchPublicExposurePaths: Boolean = false
    $fetchInternalExposurePaths: Boolean = false
    $fetchIssueAnalytics: Boolean = false
    $fetchLateralMovement: Boolean = false
    $fetchKubernetes: Boolean = false
  ) {
    graphSearch(
      query: $query
      controlId: $controlId
      projectId: $projectId
      first: $first
      after: $after
      quick: $quick
    ) {
      totalCount @include(if: $fetchTotalCount)
      maxCountReached @include(if: $fetchTotalCount)
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        entities {
          ...PathGraphEntityFragment
          userMetadata {
            isInWatchlist
            isIgnored
            note
          }
          technologies {
            id
            icon
          }
          publicExposures(first: 10) @include(if: $fetchPublicExposurePaths) {
            nodes {
              ...NetworkExposureFragment
            }
          }
          otherSubscriptionExposures(first: 10) @include(if: $fetchInternalExposurePaths) {
            nodes {
              ...NetworkExposureFragment
            }
          }
          otherVnetExposures(first: 10) @include(if: $fetchInternalExposurePaths) {
            nodes {
              ...NetworkExposureFragment
            }
          }
          lateralMovementPaths(first: 10) @include(if: $fetchLateralMovement) {
            nodes {
              id
              pathEntities {
                entity {
                  ...PathGraphEntityFragment
                }
              }
            }
          }
          kubernetesPaths(first: 10) @include(if: $fetchKubernetes) {
            nodes {
              id
              path {
                ...PathGraphEntityFragment
              }
            }
          }
        }
        aggregateCount
      }
    }
  }

  fragment PathGraphEntityFragment on GraphEntity {
    id
    name
    type
    properties
    issueAnalytics: issues(filterBy: { status: [IN_PROGRESS, OPEN] }) @include(if: $fetchIssueAnalytics) {
      highSeverityCount
      criticalSeverityCount
    }
  }

  fragment NetworkExposureFragment on NetworkExposure {
    id
    portRange
    sourceIpRange
    destinationIpRange
    path {
      ...PathGraphEntityFragment
    }
    applicationEndpoints {
      ...PathGraphEntityFragment
    }
  }
`;

/** XW get_filtered_issues helper: provider id -> graph id. */
export const XW_GRAPH_ENTITY_AUTOSUGGEST_QUERY = /* GraphQL */ `
  query GraphEntityResourceFilterAutosuggest($query: GraphEntityQueryInput, $projectId: String!) {
    graphSearch(first: 100, query: $query, quick: true, projectId: $projectId) {
      nodes {
        entities {
          id
          name
          type
        }
      }
    }
  }
`;

/** XW PULL_RESOURCES_QUERY (wiz-get-resource by provider id). */
export const XW_PULL_RESOURCES_QUERY = /* GraphQL */ `
  query GraphSearch(
    $query: GraphEntityQueryInput
    $controlId: ID
    $projectId: String!
    $first: Int
    $after: String
    $fetchTotalCount: Boolean!
    $quick: Boolean
    $fetchPublicExposurePaths: Boolean = false
    $fetchInternalExposurePaths: Boolean = false
    $fetchIssueAnalytics: Boolean = false
  ) {
    graphSearch(
      query: $query
      controlId: $controlId
      projectId: $projectId
      first: $first
      after: $after
      quick: $quick
    ) {
      totalCount @include(if: $fetchTotalCount)
      maxCountReached @include(if: $fetchTotalCount)
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        entities {
          id
          name
          type
          properties
          userMetadata {
            isInWatchlist
            isIgnored
            note
          }
          issueAnalytics: issues(filterBy: { status: [IN_PROGRESS, OPEN] }) @include(if: $fetchIssueAnalytics) {
            lowSeverityCount
            mediumSeverityCount
            highSeverityCount
            criticalSeverityCount
          }
          publicExposures(first: 10) @include(if: $fetchPublicExposurePaths) {
            nodes {
              ...NetworkExposureFragment
            }
          }
          otherSubscriptionExposures(first: 10) @include(if: $fetchInternalExposurePaths) {
            nodes {
              ...NetworkExposureFragment
            }
          }
          otherVnetExposures(first: 10) @include(if: $fetchInternalExposurePaths) {
            nodes {
              ...NetworkExposureFragment
            }
          }
        }
        aggregateCount
      }
    }
  }

  fragment NetworkExposureFragment on NetworkExposure {
    id
    portRange
    sourceIpRange
    destinationIpRange
    path {
      id
      name
      type
      properties
      issueAnalytics: issues(filterBy: { status: [IN_PROGRESS, OPEN] }) @include(if: $fetchIssueAnalytics) {
        lowSeverityCount
        mediumSeverityCount
        highSeverityCount
        criticalSeverityCount
      }
    }
  }
`;

/** XW PULL_CLOUD_RESOURCES_NATIVE_QUERY (wiz-get-resource by name). */
export const XW_CLOUD_RESOURCES_QUERY = /* GraphQL */ `
  query CloudResourceSearch($filterBy: CloudResourceFilters, $first: Int, $after: String) {
    cloudResources(filterBy: $filterBy, first: $first, after: $after) {
      nodes {
        id
        name
        type
        subscriptionId
        subscriptionExternalId
        graphEntity {
          id
          providerUniqueId
          name
          type
          projects {
            id
          }
          properties
          firstSeen
          lastSeen
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** XW/XD UPDATE_ISSUE_QUERY: patch and override are both UpdateIssuePatch. */
export const XW_UPDATE_ISSUE_MUTATION = /* GraphQL */ `
  mutation UpdateIssue($issueId: ID!, $patch: UpdateIssuePatch, $override: UpdateIssuePatch) {
    updateIssue(input: { id: $issueId, patch: $patch, override: $override }) {
      issue {
        id
        notes {
          ...IssueNoteDetails
        }
        status
        dueAt
        resolutionReason
      }
    }
  }

  fragment IssueNoteDetails on IssueNote {
    id
    text
    updatedAt
    createdAt
    user {
      id
      email
    }
    serviceAccount {
      id
      name
    }
  }
`;

/** XW/XD CREATE_COMMENT_QUERY. */
export const XW_CREATE_ISSUE_NOTE_MUTATION = /* GraphQL */ `
  mutation CreateIssueComment($input: CreateIssueNoteInput!) {
    createIssueNote(input: $input) {
      issueNote {
        createdAt
        id
        text
        user {
          id
          email
        }
      }
    }
  }
`;

/** XW/XD DELETE_NOTE_QUERY. */
export const XW_DELETE_ISSUE_NOTE_MUTATION = /* GraphQL */ `
  mutation DeleteIssueNote($input: DeleteIssueNoteInput!) {
    deleteIssueNote(input: $input) {
      _stub
    }
  }
`;

/** XW COPY_TO_FORENSICS_ACCOUNT_MUTATION. */
export const XW_COPY_FORENSICS_MUTATION = /* GraphQL */ `
  mutation CopyResourceForensicsToExternalAccount($input: CopyResourceForensicsToExternalAccountInput!) {
    copyResourceForensicsToExternalAccount(input: $input) {
      systemActivityGroupId
    }
  }
`;

/** XW wiz-get-project-team: projects with issueAnalytics(selection:). */
export const XW_PROJECTS_QUERY = /* GraphQL */ `
  query ProjectsTable(
    $filterBy: ProjectFilters
    $first: Int
    $after: String
    $orderBy: ProjectOrder
    $analyticsSelection: ProjectIssueAnalyticsSelection
  ) {
    projects(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
      nodes {
        id
        name
        description
        businessUnit
        archived
        slug
        projectOwners {
          id
          name
          email
        }
        securityChampions {
          id
          name
          email
        }
        cloudAccountCount
        repositoryCount
        securityScore
        riskProfile {
          businessImpact
        }
        teamMemberCount
        issueAnalytics(selection: $analyticsSelection) {
          issueCount
          scopeSize
          informationalSeverityCount
          lowSeverityCount
          mediumSeverityCount
          highSeverityCount
          criticalSeverityCount
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

// ---------------------------------------------------------------------------
// XD: demisto/content Packs/Wiz/Integrations/WizDefend/WizDefend.py
// ---------------------------------------------------------------------------

/** XD PULL_DETECTIONS_QUERY (with the ED-style description(format: MARKDOWN)). */
export const XD_DETECTIONS_QUERY = /* GraphQL */ `
  query Detections(
    $filterBy: DetectionFilters
    $first: Int
    $after: String
    $orderBy: DetectionOrder
    $includeTriggeringEvents: Boolean = true
  ) {
    detections(
      filterBy: $filterBy
      first: $first
      after: $after
      orderBy: $orderBy
      enforceTimestampContinuity: true
    ) {
      nodes {
        id
        issue {
          id
          url
          dueAt
          projects {
            id
            name
          }
          resolutionReason
          notes {
            text
          }
        }
        ruleMatch {
          rule {
            id
            name
            sourceType
          }
        }
        description(format: MARKDOWN)
        severity
        createdAt
        cloudAccounts {
          cloudProvider
          externalId
          name
          linkedProjects {
            id
            name
          }
        }
        cloudOrganizations {
          cloudProvider
          externalId
          name
        }
        startedAt
        endedAt
        actors {
          id
          externalId
          name
          type
          nativeType
          actingAs {
            id
            externalId
            name
            type
            nativeType
          }
        }
        primaryActor {
          id
        }
        resources {
          id
          externalId
          name
          type
          nativeType
          region
          cloudAccount {
            cloudProvider
            externalId
            name
          }
          kubernetesNamespace {
            id
            providerUniqueId
            name
          }
          kubernetesCluster {
            id
            providerUniqueId
            name
          }
        }
        primaryResource {
          id
        }
        triggeringEvents(first: 10) @include(if: $includeTriggeringEvents) {
          nodes {
            ... on CloudEvent {
              id
              origin
              name
              description
              cloudProviderUrl
              cloudPlatform
              timestamp
              source
              category
              status
              actor {
                id
                actingAs {
                  id
                }
              }
              actorIP
              actorIPMeta {
                country
                autonomousSystemNumber
                autonomousSystemOrganization
                reputation
                reputationDescription
                reputationSource
                relatedAttackGroupNames
                customIPRanges {
                  id
                  name
                  isInternal
                  ipRanges
                }
              }
              resources {
                id
              }
              extraDetails {
                ... on CloudEventRuntimeDetails {
                  processTree {
                    command
                    container {
                      id
                      externalId
                      name
                      image {
                        id
                        externalId
                      }
                    }
                    path
                    hash
                    size
                    executionTime
                    runtimeProgramId
                    userId
                    userName
                  }
                }
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** XD PULL_ISSUE_QUERY: threats = issuesV2 + filterScope ALL_ISSUE_DETECTIONS + threatDetectionDetails. */
export const XD_THREATS_QUERY = /* GraphQL */ `
  query IssuesTable(
    $filterBy: IssueFilters
    $filterScope: IssueFiltersScope
    $first: Int
    $after: String
    $orderBy: IssueOrder
    $fetchSecurityScoreImpact: Boolean = false
    $fetchThreatDetectionDetails: Boolean = false
    $securityScoreImpactSelection: SecurityScoreImpactSelection
    $fetchTotalCount: Boolean = true
    $fetchActorsAndResourcesGraphEntities: Boolean = false
    $fetchCloudAccountsAndCloudOrganizations: Boolean = false
    $fetchMultipleSourceRules: Boolean = false
    $fetchCommentThread: Boolean = false
    $fetchThreatCenterActors: Boolean = false
    $fetchTdrLogic: Boolean = false
    $fetchSecuritySubCategories: Boolean = false
  ) {
    issues: issuesV2(
      filterBy: $filterBy
      first: $first
      after: $after
      orderBy: $orderBy
      filterScope: $filterScope
    ) {
      nodes {
        id
        type
        resolutionNote
        resolvedAt
        resolutionReason
        ...ResolvedByUser
        control {
          id
          name
          description
          severity
          type
          query
          enabled
          enabledForLBI
          enabledForMBI
          enabledForHBI
          enabledForUnattributed
          tagsV2 {
            key
            value
          }
          risks
          threats
          sourceCloudConfigurationRule {
            id
            name
          }
          serviceTickets {
            ...ControlServiceTicket
          }
        }
        sourceRules {
          ...SourceRuleFields
          securitySubCategories @include(if: $fetchSecuritySubCategories) {
            id
            title
            category {
              id
              name
              framework {
                id
                name
                enabled
              }
            }
          }
        }
        sourceRules @include(if: $fetchMultipleSourceRules) {
          ...SourceRuleFields
          securitySubCategories @include(if: $fetchSecuritySubCategories) {
            id
            title
            category {
              id
              name
              framework {
                id
                name
                enabled
              }
            }
          }
        }
        createdAt
        updatedAt
        resolvedAt
        dueAt
        rejectionExpiredAt
        projects {
          id
          name
          slug
          isFolder
          businessUnit
          riskProfile {
            businessImpact
          }
        }
        status
        severity
        resolutionReason
        entitySnapshot {
          id
          type
          status
          name
          cloudPlatform
          region
          subscriptionName
          subscriptionId
          subscriptionExternalId
          nativeType
          kubernetesClusterId
          kubernetesClusterName
          kubernetesNamespaceName
          tags
          externalId
        }
        notes {
          id
          text
        }
        environments
        cloudAccounts @include(if: $fetchCloudAccountsAndCloudOrganizations) {
          id
          name
          externalId
          cloudProvider
        }
        cloudOrganizations @include(if: $fetchCloudAccountsAndCloudOrganizations) {
          id
          name
          externalId
          cloudProvider
        }
        threatDetectionDetails @include(if: $fetchThreatDetectionDetails) {
          ...ThreatDetectionDetailsActorsResources
          ...ThreatDetectionDetailsMainDetection
          detections(first: 0) {
            totalCount
          }
          eventOrigin
        }
        threatCenterActors @include(if: $fetchThreatCenterActors) {
          id
          name
          type
        }
        serviceTickets {
          id
          externalId
          name
          url
        }
        applicationServices {
          id
          displayName
        }
        commentThread @include(if: $fetchCommentThread) {
          id
          hasComments
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount @include(if: $fetchTotalCount)
    }
  }

  fragment ResolvedByUser on Issue {
    resolvedBy {
      user {
        id
        email
        name
      }
    }
  }

  fragment ControlServiceTicket on ServiceTicket {
    id
    externalId
    name
    url
    project {
      id
      name
    }
    integration {
      id
      type
      name
      typeConfiguration {
        type
        iconUrl
      }
    }
  }

  fragment SourceRuleFields on IssueSourceRule {
    ... on CloudConfigurationRule {
      id
      tags {
        key
        value
      }
      builtin
      createdBy {
        name
      }
      name
      description
      subjectEntityType
      hasAutoRemediation
      cloudProvider
      securityScoreImpact(selection: $securityScoreImpactSelection) @include(if: $fetchSecurityScoreImpact)
      risks
      threats
      control {
        id
        resolutionRecommendation
      }
    }
    ... on CloudEventRule {
      id
      name
      cloudEventRuleType: type
      description
      ruleSeverity: severity
      builtin
      createdBy {
        name
      }
      generateIssues
      generateFindings
      enabled
      sourceType
      ...CloudEventRuleLogicFields @include(if: $fetchTdrLogic)
      securityScoreImpact(selection: $securityScoreImpactSelection) @include(if: $fetchSecurityScoreImpact)
      risks
      threats
    }
    ... on Control {
      id
      tagsV2 {
        key
        value
      }
      name
      query
      type
      enabled
      enabledForHBI
      enabledForLBI
      enabledForMBI
      enabledForUnattributed
      builtin
      createdBy {
        name
      }
      resolutionRecommendation
      controlDescription: description
      securityScoreImpact(selection: $securityScoreImpactSelection) @include(if: $fetchSecurityScoreImpact)
      risks
      threats
    }
  }

  fragment CloudEventRuleLogicFields on CloudEventRule {
    params {
      ...CloudEventRuleParamsLogicFields
    }
  }

  fragment CloudEventRuleParamsLogicFields on CorrelationCloudEventRuleParams {
    securityGraphContext {
      description
      inUse
    }
    detectionThresholds {
      inUse
    }
    behavioralBaselines {
      id
      builtInId
      title
      description
    }
  }

  fragment ThreatDetectionDetailsActorsResources on ThreatDetectionIssueDetails {
    actorsMaxCountReached
    actorsTotalCount
    actors {
      id
      name
      externalId
      providerUniqueId
      type
      nativeType
      graphEntity @include(if: $fetchActorsAndResourcesGraphEntities) {
        id
        deletedAt
        type
        name
        properties
      }
    }
    resourcesTotalCount
    resourcesMaxCountReached
    resources {
      id
      name
      externalId
      providerUniqueId
      type
      nativeType
      graphEntity @include(if: $fetchActorsAndResourcesGraphEntities) {
        id
        type
        deletedAt
        name
        properties
      }
    }
  }

  fragment ThreatDetectionDetailsMainDetection on ThreatDetectionIssueDetails {
    mainDetection {
      id
      startedAt
      severity
      description(format: MARKDOWN)
      ruleMatch {
        rule {
          id
          name
          origins
        }
      }
    }
  }
`;

// ---------------------------------------------------------------------------
// Elastic integrations packages/wiz data streams (cel.yml.hbs)
// ---------------------------------------------------------------------------

/** EI issue stream (incremental on statusChangedAt). */
export const EI_ISSUES_QUERY = /* GraphQL */ `
  query IssuesTable($filterBy: IssueFilters $first: Int $after: String $orderBy: IssueOrder){
    issues:issuesV2(filterBy: $filterBy first: $first after: $after orderBy: $orderBy) {
      nodes {
        id
        sourceRule{
          __typename
          ... on Control {
            id
            name
            controlDescription: description
            resolutionRecommendation
            securitySubCategories {
              title
              category {
                name
                framework {
                  name
                }
              }
            }
          }
          ... on CloudEventRule{
            id
            name
            cloudEventRuleDescription: description
            sourceType
            type
          }
          ... on CloudConfigurationRule{
            id
            name
            cloudConfigurationRuleDescription: description
            remediationInstructions
            serviceType
          }
        }
        createdAt
        updatedAt
        dueAt
        resolvedAt
        statusChangedAt
        projects {
          id
          name
          slug
          businessUnit
          riskProfile {
            businessImpact
          }
        }
        status
        severity
        entitySnapshot {
          id
          type
          nativeType
          name
          status
          cloudPlatform
          cloudProviderURL
          providerId
          region
          resourceGroupExternalId
          subscriptionExternalId
          subscriptionName
          subscriptionTags
          tags
          externalId
        }
        serviceTickets {
          externalId
          name
          url
        }
        notes {
          createdAt
          updatedAt
          text
          user {
            name
            email
          }
          serviceAccount {
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** EV vulnerability stream: VulnerableAssetBase interface spread inside the VulnerableAsset union. */
export const EV_VULNERABILITY_FINDINGS_QUERY = /* GraphQL */ `
  query VulnerabilityFindingsPage($filterBy: VulnerabilityFindingFilters $first: Int $after: String $orderBy: VulnerabilityFindingOrder) {
    vulnerabilityFindings(filterBy: $filterBy first: $first after: $after orderBy: $orderBy) {
      nodes {
        id
        portalUrl
        name
        CVEDescription
        CVSSSeverity
        score
        exploitabilityScore
        impactScore
        dataSourceName
        hasExploit
        hasCisaKevExploit
        status
        vendorSeverity
        firstDetectedAt
        lastDetectedAt
        resolvedAt
        description
        remediation
        detailedName
        version
        fixedVersion
        detectionMethod
        link
        locationPath
        resolutionReason
        epssSeverity
        epssPercentile
        epssProbability
        validatedInRuntime
        layerMetadata{
          id
          details
          isBaseLayer
        }
        projects {
          id
          name
          slug
          businessUnit
          riskProfile {
            businessImpact
          }
        }
        ignoreRules{
          id
          name
          enabled
          expiredAt
        }
        vulnerableAsset {
          ... on VulnerableAssetBase {
            id
            type
            name
            region
            providerUniqueId
            cloudProviderURL
            cloudPlatform
            status
            subscriptionName
            subscriptionExternalId
            subscriptionId
            tags
            hasLimitedInternetExposure
            hasWideInternetExposure
            isAccessibleFromVPN
            isAccessibleFromOtherVnets
            isAccessibleFromOtherSubscriptions
          }
          ... on VulnerableAssetVirtualMachine {
            operatingSystem
            ipAddresses
          }
          ... on VulnerableAssetServerless {
            runtime
          }
          ... on VulnerableAssetContainerImage {
            imageId
          }
          ... on VulnerableAssetContainer {
            ImageExternalId
            VmExternalId
            ServerlessContainer
            PodNamespace
            PodName
            NodeName
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** EA audit stream (incremental on timestamp). */
export const EA_AUDIT_LOG_QUERY = /* GraphQL */ `
  query AuditLogTable($first: Int $after: String $filterBy: AuditLogEntryFilters){
    auditLogEntries(first: $first after: $after filterBy: $filterBy) {
      nodes {
        id
        action
        requestId
        status
        timestamp
        actionParameters
        userAgent
        sourceIP
        serviceAccount {
          id
          name
        }
        user {
          id
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** EC cloud_configuration_finding stream (incremental on updatedAt). */
export const EC_CONFIGURATION_FINDINGS_QUERY = /* GraphQL */ `
  query CloudConfigurationFindingsPage($filterBy: ConfigurationFindingFilters $first: Int $after: String $orderBy: ConfigurationFindingOrder){
    configurationFindings(filterBy: $filterBy first: $first after: $after orderBy: $orderBy) {
      nodes {
        id
        analyzedAt
        updatedAt
        severity
        result
        remediation
        resource {
          id
          providerId
          name
          nativeType
          type
          region
          cloudPlatform
          subscription {
            id
            name
            externalId
            cloudProvider
          }
          tags {
            key
            value
          }
        }
        rule {
          id
          shortId
          name
          description
          remediationInstructions
        }
        evidence {
          currentValue
          expectedValue
          configurationPath
          cloudConfigurationLink
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** ECF cloud_configuration_finding_full_posture stream (includeDeleted + status filters). */
export const ECF_CONFIGURATION_FINDINGS_FULL_QUERY = /* GraphQL */ `
  query CloudConfigurationFindingsPage($filterBy: ConfigurationFindingFilters $first: Int $after: String $orderBy: ConfigurationFindingOrder){
    configurationFindings(filterBy: $filterBy first: $first after: $after orderBy: $orderBy) {
      nodes {
        id
        name
        analyzedAt
        severity
        result
        remediation
        status
        resource {
          id
          providerId
          name
          nativeType
          type
          region
          cloudPlatform
          subscription {
            id
            name
            externalId
            cloudProvider
          }
          tags {
            key
            value
          }
        }
        rule {
          id
          shortId
          name
          description
          remediationInstructions
        }
        evidence {
          currentValue
          expectedValue
          configurationPath
          cloudConfigurationLink
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** ED defend_v2 stream: detections with totalCountV2 on triggeringEvents. */
export const ED_DETECTIONS_QUERY = /* GraphQL */ `
  query DetectionsTableV2($filterBy: DetectionFilters $first: Int $after: String $orderBy: DetectionOrder){
    detections(filterBy: $filterBy first: $first after: $after orderBy: $orderBy) {
      nodes {
        type
        origins
        actors {
          id
          name
          externalId
          providerUniqueId
          type
        }
        resources {
          id
          name
          externalId
          providerUniqueId
          type
        }
        cloudAccounts {
          id
          name
          externalId
          cloudProvider
        }
        cloudOrganizations {
          id
          name
          externalId
          cloudProvider
        }
        createdAt
        updatedAt
        id
        severity
        description(format: MARKDOWN)
        primaryResource {
          type
          name
          externalId
          region
          id
        }
        issue {
          id
        }
        primaryActor {
          id
          name
          type
          nativeType
          email
          userAgent
          MFA
          federated
          friendlyName
          accessKeyId
          externalId
          providerUniqueId
          hasHighPrivileges
          hasAdminPrivileges
          hasHighKubernetesPrivileges
          hasAdminKubernetesPrivileges
          inactiveInLast90Days
          actingAs {
            id
            name
            type
            friendlyName
            accessKeyId
            externalId
            providerUniqueId
          }
          cloudAccount {
            id
            externalId
            name
            cloudProvider
          }
        }
        triggeringEvents(first: 50) {
          totalCountV2
          nodes {
            ... on CloudEvent {
              id
              description
              actorIP
              timestamp
              rawAuditLogRecord
              commandLine
              runtimeProgram {
                name
              }
              parentRuntimeProgram {
                name
              }
            }
          }
        }
        ruleMatch {
          rule {
            id
            name
            builtin
            securitySubCategories {
              id
              title
              category {
                id
                name
                framework {
                  id
                }
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

// ---------------------------------------------------------------------------
// BP: wiz-sec-public/backstage-plugin-wiz (backend queries)
// ---------------------------------------------------------------------------

/** BP ISSUES_SEVERITY_COUNTS_QUERY: counters only, through the IssueCounts fragment. */
export const BP_ISSUES_SEVERITY_COUNTS_QUERY = /* GraphQL */ `
  query IssuesSeverityCounts(
    $filterBy: IssueFilters,
    $filterScope: IssueFiltersScope,
    $first: Int,
    $after: String,
    $orderBy: IssueOrder
  ) {
    issues: issuesV2(
      filterBy: $filterBy
      filterScope: $filterScope
      first: $first
      after: $after
      orderBy: $orderBy
    ) {
      ...IssueCounts
    }
  }

  fragment IssueCounts on IssueConnection {
    totalCount
    criticalSeverityCount
    highSeverityCount
    mediumSeverityCount
    lowSeverityCount
    informationalSeverityCount
  }
`;

/** BP ISSUES_GROUPED_COUNT_QUERY: distinct resources with issues. */
export const BP_ISSUES_GROUPED_COUNT_QUERY = /* GraphQL */ `
  query IssuesGroupedByValueTotalCount(
    $groupBy: IssuesGroupedByValueField!,
    $filterBy: IssueFilters
  ) {
    issuesGroupedByValue(
      groupBy: $groupBy,
      filterBy: $filterBy
    ) {
      totalCount
    }
  }
`;

/** BP CLOUD_RESOURCES_QUERY (ids by providerUniqueId). */
export const BP_CLOUD_RESOURCES_QUERY = /* GraphQL */ `
  query CloudResourceSearch(
    $filterBy: CloudResourceFilters
    $first: Int
    $after: String
  ) {
    cloudResources(
      filterBy: $filterBy
      first: $first
      after: $after
    ) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** BP VERSION_CONTROL_RESOURCES_QUERY. */
export const BP_VERSION_CONTROL_RESOURCES_QUERY = /* GraphQL */ `
  query VersionControlResources($first: Int, $after: String, $filterBy: VersionControlResourceFilters) {
    versionControlResources(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** BP GRAPH_SEARCH_QUERY (Kubernetes annotations -> entities). */
export const BP_GRAPH_SEARCH_QUERY = /* GraphQL */ `
  query GraphSearchByAnnotations(
    $query: GraphEntityQueryInput,
    $projectId: String!,
    $first: Int,
    $after: String
  ) {
    graphSearch(
      query: $query
      projectId: $projectId
      first: $first
      after: $after
      quick: false
    ) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        entities {
          id
          type
          name
          providerUniqueId
        }
        aggregateCount
      }
    }
  }
`;

/** BP VULNERABILITY_FINDINGS_QUERY (head as published; the asset part follows EV). */
export const BP_VULNERABILITY_FINDINGS_QUERY = /* GraphQL */ `
  query VulnerabilityFindingsPage($filterBy: VulnerabilityFindingFilters, $first: Int, $after: String, $orderBy: VulnerabilityFindingOrder) {
    vulnerabilityFindings(
      filterBy: $filterBy
      first: $first
      after: $after
      orderBy: $orderBy
    ) {
      totalCount
      nodes {
        id
        vulnerabilityExternalId
        portalUrl
        name
        CVSSSeverity
        hasExploit
        hasCisaKevExploit
        relatedIssueAnalytics {
          issueCount
          criticalSeverityCount
          highSeverityCount
          mediumSeverityCount
          lowSeverityCount
          informationalSeverityCount
        }
        vulnerableAsset {
          ... on VulnerableAssetBase {
            id
            type
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

// ---------------------------------------------------------------------------
// Upload flow: SG (DanMolz/wiz-semgrep-connector), WD (Wiz docs), US
// ---------------------------------------------------------------------------

/** Request an upload slot: a QUERY, not a mutation. */
export const SG_REQUEST_SECURITY_SCAN_UPLOAD_QUERY = /* GraphQL */ `
  query RequestSecurityScanUpload($filename: String!) {
    requestSecurityScanUpload(filename: $filename) {
      upload {
        id
        url
        systemActivityId
      }
    }
  }
`;

/** Poll the upload's system activity (result/context fragments). */
export const SG_SYSTEM_ACTIVITY_QUERY = /* GraphQL */ `
  query SystemActivity($id: ID!) {
    systemActivity(id: $id) {
      id
      status
      statusInfo
      result {
        ...on SystemActivityEnrichmentIntegrationResult{
          dataSources {
            ... IngestionStatsDetails
          }
          findings {
            ... IngestionStatsDetails
          }
          events {
            ... IngestionStatsDetails
          }
          tags {
            ... IngestionStatsDetails
          }
          unresolvedAssets {
            ... UnresolvedAssetsDetails
          }
        }
      }
      context {
        ... on SystemActivityEnrichmentIntegrationContext{
          fileUploadId
        }
      }
    }
  }

  fragment IngestionStatsDetails on EnrichmentIntegrationStats {
    incoming
    handled
  }

  fragment UnresolvedAssetsDetails on EnrichmentIntegrationUnresolvedAssets {
    count
    ids
  }
`;

/** SG: repository branches for SAST asset identifiers (providerID has a capital ID). */
export const SG_VERSION_CONTROL_RESOURCES_QUERY = /* GraphQL */ `
  query VersionControlResources($first: Int, $after: String, $filterBy: VersionControlResourceFilters) {
    versionControlResources(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        cloudPlatform
        providerID
        type
        repository {
          id
          name
          url
        }
      }
    }
  }
`;

/** WD: cloudResourcesV2 with the totalCount alias behind @include. */
export const WD_CLOUD_RESOURCES_V2_QUERY = /* GraphQL */ `
  query CloudResourcesTable($first: Int, $after: String, $filterBy: CloudResourceV2Filters, $orderBy: CloudResourceOrder, $fetchTotalCount: Boolean = true) {
    cloudResourcesV2(first: $first after: $after filterBy: $filterBy orderBy: $orderBy) {
      totalCount: totalServiceUsageResourceCount @include(if: $fetchTotalCount)
      pageInfo { hasNextPage endCursor }
      nodes { id name externalId type cloudPlatform }
    }
  }
`;

/** Wiz docs "Pull Cloud Resources" CloudResourcesTable (wider node selection, typeFields union). */
export const WD_CLOUD_RESOURCES_V2_FULL_QUERY = /* GraphQL */ `
  query CloudResourcesTable($first: Int, $after: String, $filterBy: CloudResourceV2Filters, $orderBy: CloudResourceOrder, $fetchTotalCount: Boolean = true) {
    cloudResourcesV2(first: $first after: $after filterBy: $filterBy orderBy: $orderBy) {
      totalCount: totalServiceUsageResourceCount @include(if: $fetchTotalCount)
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        externalId
        type
        technology {
          id
          name
        }
        cloudAccount {
          id
          name
          cloudProvider
          externalId
        }
        cloudPlatform
        status
        region
        regionLocation
        tags {
          key
          value
        }
        projects {
          id
          name
          slug
          isFolder
        }
        createdAt
        updatedAt
        deletedAt
        firstSeen
        lastSeen
        typeFields {
          ... on CloudResourceV2VirtualMachine {
            instanceType
            operatingSystem
          }
          ... on CloudResourceV2Database {
            kind
          }
        }
        resourceGroup {
          id
          name
        }
        isOpenToAllInternet
        isAccessibleFromInternet
        hasAccessToSensitiveData
        hasAdminPrivileges
        hasHighPrivileges
        hasSensitiveData
        nativeType
      }
    }
  }
`;

// ---------------------------------------------------------------------------
// FS (get_issues_by_asset) and TF (terraform-provider-wiz) shapes
// ---------------------------------------------------------------------------

/** FS: issues grouped by source rule with a nested, ordered issues(first: 5). */
export const FS_ISSUES_GROUPED_BY_SOURCE_RULE_QUERY = /* GraphQL */ `
  query IssuesGroupedByValue(
    $groupBy: IssuesGroupedByValueField!
    $filterBy: IssueFilters
    $first: Int
    $after: String
    $orderBy: IssuesGroupedByValueOrder
    $issueOrder: IssueOrder
  ) {
    issuesGroupedByValue(groupBy: $groupBy, filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
      nodes {
        id
        issues(first: 5, orderBy: $issueOrder) {
          nodes {
            id
            status
            severity
            createdAt
            sourceRule {
              __typename
              ... on Control {
                id
                name
              }
            }
            entity {
              id
              name
              type
              properties
              projects {
                id
                name
              }
            }
          }
          totalCount
          criticalSeverityCount
          highSeverityCount
          mediumSeverityCount
          lowSeverityCount
          informationalSeverityCount
          pageInfo {
            hasNextPage
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

/** TF data_source_kubernetes_clusters shape. */
export const TF_KUBERNETES_CLUSTERS_QUERY = /* GraphQL */ `
  query KubernetesClusters($first: Int, $after: String, $filterBy: KubernetesClusterFilters) {
    kubernetesClusters(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        externalId
        name
        kind
        status
        isPrivate
        isConnectedUsingBroker
        connectors {
          id
          name
        }
        cloudAccount {
          id
          name
          cloudProvider
          externalId
        }
        projects {
          id
          name
          slug
          riskProfile {
            businessImpact
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

/** TF cloud accounts shape. */
export const TF_CLOUD_ACCOUNTS_QUERY = /* GraphQL */ `
  query CloudAccounts($first: Int, $after: String, $filterBy: CloudAccountFilters) {
    cloudAccounts(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        name
        externalId
        cloudProvider
        status
        firstScannedAt
        lastScannedAt
        resourceCount
        containerCount
        virtualMachineCount
        linkedProjects {
          id
        }
        sourceConnectors {
          id
        }
      }
      edges {
        cursor
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

/** TF users shape. */
export const TF_USERS_QUERY = /* GraphQL */ `
  query Users($first: Int, $after: String, $filterBy: UserFilters) {
    users(first: $first, after: $after, filterBy: $filterBy) {
      nodes {
        id
        name
        email
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`;

// ---------------------------------------------------------------------------
// Singular roots (ST-only in the public record; kept for wizbridge's own use)
// ---------------------------------------------------------------------------

export const SINGULAR_ROOTS_QUERY = /* GraphQL */ `
  query SingularRoots($issueId: ID!, $resourceId: ID!, $detectionId: ID!, $projectSlug: String) {
    issue(id: $issueId) {
      id
      url
      status
      statusChangedAt
    }
    cloudResource(id: $resourceId) {
      id
      name
      type
    }
    detection(id: $detectionId) {
      id
      description
      triggeringEvents(first: 1) {
        totalCount
      }
    }
    project(slug: $projectSlug) {
      id
      slug
    }
  }
`;
